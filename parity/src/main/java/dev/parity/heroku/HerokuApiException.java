package dev.parity.heroku;

/** An API call that failed for good (after retries): one clear line for the user. */
public class HerokuApiException extends RuntimeException {
    private final int status;
    private final String id;
    private final boolean outcomeUnknown;

    public HerokuApiException(int status, String id, String message) {
        this(status, id, message, false);
    }

    public HerokuApiException(int status, String id, String message, boolean outcomeUnknown) {
        super(message);
        this.status = status;
        this.id = id;
        this.outcomeUnknown = outcomeUnknown;
    }

    /** HTTP status; 0 when no answer came (the API could not be reached, or the answer was lost). */
    public int status() {
        return status;
    }

    /** Heroku's error id ({@code not_found}, {@code rate_limit}, …), or null. */
    public String id() {
        return id;
    }

    public boolean notFound() {
        return status == 404;
    }

    /**
     * The request reached the API and may have been carried out although it failed (a 5xx answer,
     * a dropped connection, no answer in time): what it would have created may exist.
     */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
