package dev.parity.cli;

/** Where a verb is listed in help; every registered verb names one. */
enum VerbGroup {
    EVERYDAY("Everyday"),
    DATA("Data"),
    DEPLOY("Deploy");

    final String heading;

    VerbGroup(String heading) {
        this.heading = heading;
    }
}
