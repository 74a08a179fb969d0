package ossidecar.chaos.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlicerStageTest {

    @Test
    void slicesCoverTheChunkWithinAveragePlusVariation() {
        Random random = new Random(42);
        for (int length : new int[] {1, 7, 100, 101, 1000, 65536}) {
            for (int[] av : new int[][] {{100, 0}, {100, 30}, {10, 9}, {1, 0}, {0, 0}}) {
                List<Integer> sizes = SlicerStage.sliceSizes(length, av[0], av[1], random);
                assertEquals(length, sizes.stream().mapToInt(Integer::intValue).sum(), length + " " + av[0]);
                for (int s : sizes) {
                    assertTrue(s >= 1 && s <= Math.max(1, av[0] + av[1]), "slice " + s + " of " + length);
                }
            }
        }
    }

    @Test
    void noVariationHalvesUntilSmallEnough() {
        // 1000 -> 500 -> 250 -> 125 -> 62/63: sixteen slices, as Toxiproxy's recursive halving.
        List<Integer> sizes = SlicerStage.sliceSizes(1000, 100, 0, new Random(1));
        assertEquals(16, sizes.size());
        assertEquals(List.of(62, 63), sizes.subList(0, 2));
        assertEquals(List.of(100), SlicerStage.sliceSizes(100, 100, 0, new Random(1)));
        assertEquals(List.of(), SlicerStage.sliceSizes(0, 100, 0, new Random(1)));
    }
}
