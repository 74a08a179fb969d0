package ossidecar.db.sql;

/**
 * A routing hint found in a comment, e.g. {@code /* sidecar:route=reader *&#47;}. The caller lets
 * it override the classifier's own route; {@link #WRITER} wins when both appear.
 */
public enum RouteHint {
    NONE,
    WRITER,
    READER;

    /** The stronger of two hints: a writer hint beats a reader hint, which beats none. */
    RouteHint strongest(RouteHint other) {
        if (this == WRITER || other == WRITER) {
            return WRITER;
        }
        return this == READER || other == READER ? READER : NONE;
    }
}
