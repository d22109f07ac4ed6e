package dev.parity.sandbox.http;

/** An error answered as Heroku does: status plus {@code {"id": ..., "message": ...}}. */
public class ApiError extends RuntimeException {
    private final int status;
    private final String id;
    private final String resource;

    public ApiError(int status, String id, String message) {
        this(status, id, message, null);
    }

    public ApiError(int status, String id, String message, String resource) {
        super(message);
        this.status = status;
        this.id = id;
        this.resource = resource;
    }

    public int status() {
        return status;
    }

    public String id() {
        return id;
    }

    public String resource() {
        return resource;
    }

    public static ApiError notFound(String message, String resource) {
        return new ApiError(404, "not_found", message, resource);
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message);
    }

    public static ApiError invalidParams(String message) {
        return new ApiError(422, "invalid_params", message);
    }
}
