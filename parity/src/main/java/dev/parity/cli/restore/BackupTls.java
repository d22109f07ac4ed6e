package dev.parity.cli.restore;

import dev.parity.run.OneOffRun;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;
import dev.parity.ui.Io;
import java.io.IOException;
import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS a backup download uses: the JVM's certificate authorities, plus only the CA a local
 * sandbox's env file names ({@code NODE_EXTRA_CA_CERTS}, which the heroku CLI honours too, or
 * {@code PARITY_CA_CERTS}). Nothing else is ever trusted, and with neither set nothing is added.
 */
final class BackupTls {
    private BackupTls() {}

    static SSLSocketFactory of(Io io) throws StepFailed {
        try {
            return OneOffRun.socketFactory(io.env());
        } catch (IOException e) {
            throw new StepFailed(ExitCodes.FAILED, "cannot set up TLS for the backup download: " + e.getMessage()
                    + "; no database was touched");
        }
    }
}
