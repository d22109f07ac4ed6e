package dev.parity.deploys;

import dev.parity.heroku.Platform;
import dev.parity.steps.StepFailed;

/** The Platform API, reached when a step runs: a missing token fails that step, not the plan. */
@FunctionalInterface
public interface ApiAccess {
    Platform platform() throws StepFailed;
}
