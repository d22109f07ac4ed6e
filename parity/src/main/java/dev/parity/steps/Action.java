package dev.parity.steps;

/** A step done inside parity itself (a check, a download, a prompt), described in words. */
public final class Action implements Step {

    @FunctionalInterface
    public interface Body {
        void run(StepContext context) throws StepFailed, InterruptedException;
    }

    private final String name;
    private final String plan;
    private final Body body;

    public Action(String name, String plan, Body body) {
        this.name = name;
        this.plan = plan;
        this.body = body;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String plan() {
        return plan;
    }

    @Override
    public void run(StepContext context) throws StepFailed, InterruptedException {
        body.run(context);
    }
}
