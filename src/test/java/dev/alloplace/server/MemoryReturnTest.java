package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the daemon asks the JVM for the collection that gives a burst's heap back, on a heap the test plays. */
class MemoryReturnTest {

    private static final long MIB = 1L << 20;

    /** A heap whose figures the test sets, and that shrinks as the JVM would when collected (or not). */
    private static final class PlayedHeap {
        long used;
        long committed;
        long floor = 16 * MIB;
        long oldUsed = 4 * MIB;
        long afterCollection = -1;
        long oldAfterCollection = -1;
        final List<Integer> collectedAtLook = new ArrayList<>();
        int looks;

        MemoryReturn.Heap read() {
            looks++;
            return new MemoryReturn.Heap(used, committed, floor, oldUsed);
        }

        void collect() {
            collectedAtLook.add(looks);
            if (afterCollection >= 0) {
                committed = afterCollection;
            }
            if (oldAfterCollection >= 0) {
                used -= oldUsed - oldAfterCollection;
                oldUsed = oldAfterCollection;
            }
        }
    }

    private final PlayedHeap heap = new PlayedHeap();
    private final MemoryReturn memory = new MemoryReturn(16 * MIB, 0.30, heap::read, heap::collect);

    private void look(int times) {
        for (int i = 0; i < times; i++) {
            memory.check();
        }
    }

    @Test
    void aHeapGrownForABurstIsGivenBackAtTheFirstLookAfterIt() {
        heap.committed = 320 * MIB;
        heap.used = 30 * MIB;
        heap.afterCollection = 44 * MIB;

        look(30);

        assertThat(heap.collectedAtLook).containsExactly(1);
        assertThat(memory.returnedBytes()).isEqualTo(276 * MIB);
    }

    @Test
    void whatABurstLeftInTheOldGenerationIsMarkedOnceItGrewAndTheHeapGivenBackAfter() {
        heap.committed = 40 * MIB;
        heap.used = 20 * MIB;
        look(3);
        heap.committed = 118 * MIB; // the burst's garbage, promoted: only marking finds it is garbage
        heap.used = 95 * MIB;
        heap.oldUsed = 88 * MIB;
        heap.oldAfterCollection = 6 * MIB;
        look(1);
        assertThat(heap.collectedAtLook).as("the look after the old generation grew").containsExactly(4);

        heap.afterCollection = 30 * MIB; // what a second cycle's remark gives back once the first freed the regions
        look(20);

        assertThat(heap.collectedAtLook).containsExactly(4, 5);
        assertThat(memory.returnedBytes()).isEqualTo(88 * MIB);
    }

    @Test
    void aQuietPlaceIsNeverCollected() {
        heap.committed = 24 * MIB;
        heap.used = 9 * MIB;

        look(1000);

        assertThat(memory.collections()).isZero();
    }

    @Test
    void aHeapThatIsInUseIsLeftAlone() {
        heap.committed = 320 * MIB;
        heap.used = 250 * MIB;

        look(100);

        assertThat(memory.collections()).isZero();
    }

    @Test
    void collectionsThatGiveNothingBackAreTriedLessAndLessOften() {
        heap.committed = 320 * MIB;
        heap.used = 30 * MIB;

        look(100);

        assertThat(heap.collectedAtLook).containsExactly(1, 3, 7, 15, 31, 47, 63, 79, 95);
    }

    @Test
    void aCollectionThatGivesBackEndsTheWaitBetweenTries() {
        heap.committed = 320 * MIB;
        heap.used = 30 * MIB;
        look(7); // fruitless tries at looks 1, 3 and 7
        heap.afterCollection = 40 * MIB;

        look(8); // the next try, at look 15, gives back
        heap.committed = 200 * MIB; // the next burst
        look(1);

        assertThat(heap.collectedAtLook).containsExactly(1, 3, 7, 15, 16);
    }
}
