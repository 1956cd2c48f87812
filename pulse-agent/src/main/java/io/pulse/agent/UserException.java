package io.pulse.agent;

/**
 * A failure the person at the terminal can fix and needs no stack trace to understand: a port in use, an address
 * that does not answer, a file that cannot be read. {@link CliErrors} prints its message alone, on one line, and
 * the command exits with {@link CliErrors#EXIT_FAILURE}.
 */
final class UserException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UserException(String message) {
        super(message, null, false, false);
    }

    UserException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
