package dev.vigil.jobs.rules;

/** A fixture file that cannot be read, with the place in it named. */
public final class FixtureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FixtureException(String message) {
        super(message);
    }
}
