package dev.parity.pgcluster;

/** A throwaway PostgreSQL cluster could not be found, started, queried or stopped. */
public class PostgresClusterException extends RuntimeException {
    public PostgresClusterException(String message) {
        super(message);
    }

    public PostgresClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
