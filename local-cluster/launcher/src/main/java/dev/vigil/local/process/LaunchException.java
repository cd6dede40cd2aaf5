package dev.vigil.local.process;

/**
 * A local process could not be started, became unhealthy or could not be stopped; the message says
 * what to do.
 */
public class LaunchException extends RuntimeException {

    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
