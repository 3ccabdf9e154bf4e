package jwg.datapath;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.FutureTask;

/** The loop's schedule on a {@link FakeClock}: a task runs when the test says, once its delay has passed. */
final class FakeScheduler implements Timers.Scheduler {
    private final FakeClock clock;
    private final List<Task> tasks = new ArrayList<>();
    /** Tasks run so far. */
    int ran;

    private static final class Task extends FutureTask<Void> {
        final long due;

        Task(Runnable r, long due) {
            super(r, null);
            this.due = due;
        }
    }

    FakeScheduler(FakeClock clock) {
        this.clock = clock;
    }

    @Override public Task schedule(Runnable task, long delayNanos) {
        Task t = new Task(task, clock.nanoTime() + delayNanos);
        tasks.add(t);
        return t;
    }

    /** Runs the tasks due by now, earliest first, those they schedule for now included. */
    void runDue() {
        for (Task t; (t = next()) != null && clock.nanoTime() - t.due >= 0; ) {
            tasks.remove(t);
            ran++;
            t.run();
        }
    }

    /** Tasks scheduled and neither run nor cancelled. */
    int pending() {
        tasks.removeIf(Task::isCancelled);
        return tasks.size();
    }

    private Task next() {
        tasks.removeIf(Task::isCancelled);
        return tasks.stream().min(Comparator.comparingLong(t -> t.due)).orElse(null);
    }
}
