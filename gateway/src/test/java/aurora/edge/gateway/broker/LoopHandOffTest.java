package aurora.edge.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class LoopHandOffTest {
    /** An event loop that only queues what it is given, so the test decides when it runs. */
    private static final class RecordingLoop implements Executor {
        final List<Runnable> executed = new ArrayList<>();

        @Override
        public void execute(Runnable command) {
            executed.add(command);
        }

        void runAll() {
            List<Runnable> now = List.copyOf(executed);
            executed.clear();
            now.forEach(Runnable::run);
        }
    }

    @Test
    void tasksHandedOverInARowWakeEachLoopOnceAndRunInOrder() {
        LoopHandOff handOff = new LoopHandOff();
        RecordingLoop a = new RecordingLoop();
        RecordingLoop b = new RecordingLoop();
        List<String> ran = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            int n = i;
            handOff.execute(a, () -> ran.add("a" + n));
            handOff.execute(b, () -> ran.add("b" + n));
        }
        assertThat(a.executed).hasSize(1);
        assertThat(b.executed).hasSize(1);
        a.runAll();
        b.runAll();
        assertThat(ran).containsExactly("a1", "a2", "a3", "a4", "a5", "b1", "b2", "b3", "b4", "b5");
    }

    @Test
    void aTaskAfterTheDrainRanWakesTheLoopAgain() {
        LoopHandOff handOff = new LoopHandOff();
        RecordingLoop loop = new RecordingLoop();
        List<String> ran = new ArrayList<>();
        handOff.execute(loop, () -> ran.add("first"));
        loop.runAll();
        handOff.execute(loop, () -> ran.add("second"));
        assertThat(loop.executed).hasSize(1);
        loop.runAll();
        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    void aFailingTaskDoesNotStopTheOthers() {
        LoopHandOff handOff = new LoopHandOff();
        RecordingLoop loop = new RecordingLoop();
        List<String> ran = new ArrayList<>();
        handOff.execute(loop, () -> {
            throw new IllegalStateException("boom");
        });
        handOff.execute(loop, () -> ran.add("after"));
        loop.runAll();
        assertThat(ran).containsExactly("after");
    }

    @Test
    void aStoppedLoopRefusesAndALaterTaskIsOfferedAgain() {
        LoopHandOff handOff = new LoopHandOff();
        Executor stopped = task -> {
            throw new RejectedExecutionException("stopped");
        };
        assertThatThrownBy(() -> handOff.execute(stopped, () -> {})).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> handOff.execute(stopped, () -> {})).isInstanceOf(RejectedExecutionException.class);
    }
}
