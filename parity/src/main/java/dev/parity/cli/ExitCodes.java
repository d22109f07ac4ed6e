package dev.parity.cli;

/**
 * The verbs' name for {@link dev.parity.steps.ExitCodes}, so a verb reads {@code ExitCodes.USAGE}
 * without an import. It defines nothing of its own.
 */
public final class ExitCodes extends dev.parity.steps.ExitCodes {
    private ExitCodes() {}
}
