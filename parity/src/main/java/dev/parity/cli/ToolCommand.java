package dev.parity.cli;

/** A command of parity itself that needs the workspace (the repository it runs in). */
interface ToolCommand {
    void bind(Workspace workspace);
}
