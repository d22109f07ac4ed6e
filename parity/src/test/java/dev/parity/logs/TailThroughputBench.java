package dev.parity.logs;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Tail throughput, run on demand by {@code bench/tail.sh} (not part of the test suite): realistic
 * Heroku lines generated in memory (router ok and error lines, R14 pairs, app output, state
 * changes), pushed through exactly what {@code tail}'s sink does per line (parse, filter, render,
 * print to a discarding stream) in several configurations; the median of the runs in lines/s.
 *
 * <p>Arguments: {@code [LINES] [RUNS]} (defaults 2,000,000 and 5).
 */
public final class TailThroughputBench {
    private TailThroughputBench() {}

    record Config(String name, LogFilter filter, boolean colour) {}

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String[] lines = generate(count, 42);
        long bytes = Arrays.stream(lines).mapToLong(String::length).sum();
        System.out.printf(Locale.ROOT, "java %s (%s), %d cores; %,d lines (%.0f M chars, mean %d chars a line), median of %d runs%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
                count, bytes / 1e6, bytes / count, runs);
        List<Config> configs = List.of(
                new Config("plain (no flags, NO_COLOR)", LogFilter.ALL, false),
                new Config("colour", LogFilter.ALL, true),
                new Config("--errors, colour", new LogFilter(null, null, null, true), true),
                new Config("--ps web --source app", new LogFilter("web", null, "app", false), false));
        // Warm-up: one pass of each configuration, so the JIT has compiled the pipeline.
        for (Config c : configs) once(c, lines);
        System.out.printf("%-30s %14s %12s %10s%n", "configuration", "lines/s", "printed", "ms/run");
        for (Config c : configs) {
            long[] nanos = new long[runs];
            long printed = 0;
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                printed = once(c, lines);
                nanos[r] = System.nanoTime() - t0;
            }
            Arrays.sort(nanos);
            long median = nanos[runs / 2];
            double perSecond = count / (median / 1e9);
            System.out.printf(Locale.ROOT, "%-30s %,14.0f %,12d %10.1f%n", c.name, perSecond, printed, median / 1e6);
        }
    }

    /** The per-line work of Tail's sink, into a stream that discards the bytes; returns lines printed. */
    static long once(Config c, String[] lines) {
        Colorizer colorizer = new Colorizer(c.colour, false);
        PrintStream out = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(512);
        long printed = 0;
        for (String raw : lines) {
            LogLine line = LogLine.parse(raw);
            if (!c.filter.matches(line)) continue;
            b.setLength(0);
            colorizer.render(line, b);
            b.append('\n');
            out.print(b);
            printed++;
        }
        out.flush();
        return printed;
    }

    /** A busy app's mix: 70% router ok, 5% router errors, 2% R14 pairs, 20% app output, 3% platform lines. */
    static String[] generate(int count, long seed) {
        Random random = new Random(seed);
        List<String> dynos = List.of("web.1", "web.2", "web.3", "worker.1");
        String[] codes = {"H12", "H10", "H13", "H18", "H27"};
        String[] paths = {"/", "/orders", "/orders/42", "/api/items?page=2", "/login", "/assets/app.css"};
        String[] methods = {"GET", "GET", "GET", "POST", "PUT"};
        List<String> out = new ArrayList<>(count);
        long micros = 1_706_200_387_000_000L;
        while (out.size() < count) {
            micros += random.nextInt(2000);
            String ts = java.time.Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000).toString();
            ts = ts.substring(0, 19) + String.format(Locale.ROOT, ".%06d+00:00", micros % 1_000_000);
            int k = random.nextInt(100);
            String dyno = dynos.get(random.nextInt(3));
            String request = "method=" + methods[random.nextInt(methods.length)] + " path=\"" + paths[random.nextInt(paths.length)]
                    + "\" host=bench.herokuapp.com request_id=" + new UUID(random.nextLong(), random.nextLong())
                    + " fwd=\"" + (1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254)) + "\"";
            if (k < 70) {
                out.add(ts + " heroku[router]: at=info " + request + " dyno=" + dyno + " connect=" + random.nextInt(3) + "ms service="
                        + (5 + random.nextInt(200)) + "ms status=200 bytes=" + (200 + random.nextInt(20000)) + " protocol=https");
            } else if (k < 75) {
                String code = codes[random.nextInt(codes.length)];
                out.add(ts + " heroku[router]: at=error code=" + code + " desc=\"Request timeout\" " + request + " dyno=" + dyno
                        + " connect=1ms service=30000ms status=503 bytes=0 protocol=https");
            } else if (k < 77) {
                out.add(ts + " heroku[" + dyno + "]: Process running mem=" + (513 + random.nextInt(512)) + "M(120.3%)");
                out.add(ts + " heroku[" + dyno + "]: Error R14 (Memory quota exceeded)");
            } else if (k < 97) {
                out.add(ts + " app[" + dyno + "]: Completed 200 OK in " + (3 + random.nextInt(300)) + "ms (Views: "
                        + random.nextInt(50) + "ms | ActiveRecord: " + random.nextInt(40) + "ms)");
            } else {
                out.add(ts + " heroku[" + dynos.get(random.nextInt(dynos.size())) + "]: State changed from starting to up");
            }
        }
        return out.subList(0, count).toArray(String[]::new);
    }
}
