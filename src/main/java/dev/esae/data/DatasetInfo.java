package dev.esae.data;

import dev.esae.train.Provenance;

/**
 * A dataset folder's {@code dataset.json}: what drew it and how its shapes are oriented.
 *
 * @param source the generator ({@code shapes})
 * @param orientations {@code upright} or {@code random} (SPEC §1)
 * @param seed the draw's seed
 * @param distinctImages how many of the images are different from each other
 */
public record DatasetInfo(String source, String orientations, Integer images, Long seed, Integer distinctImages, String esaeVersion,
        Provenance provenance) {}
