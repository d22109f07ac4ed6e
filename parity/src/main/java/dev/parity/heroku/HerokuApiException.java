package dev.parity.heroku;

/** An API call that failed for good (after retries): one clear line for the user. */
public class HerokuApiException extends RuntimeException {
    private final int status;
    private final String id;

    public HerokuApiException(int status, String id, String message) {
        super(message);
        this.status = status;
        this.id = id;
    }

    /** HTTP status; 0 when the API could not be reached at all. */
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
}
