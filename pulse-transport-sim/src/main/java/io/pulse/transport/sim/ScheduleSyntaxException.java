package io.pulse.transport.sim;

/**
 * A fault schedule's text could not be read: the message names the line and column (both from 1), what was
 * expected there, and what was found.
 */
public final class ScheduleSyntaxException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    /**
     * @param line    the line, from 1 (statements separated by {@code ;} share their line)
     * @param column  the column, from 1
     * @param problem what was expected and what was found
     */
    public ScheduleSyntaxException(int line, int column, String problem) {
        super("line " + line + ", column " + column + ": " + problem);
        this.line = line;
        this.column = column;
    }

    /** The line of the error, from 1. */
    public int line() {
        return line;
    }

    /** The column of the error, from 1. */
    public int column() {
        return column;
    }
}
