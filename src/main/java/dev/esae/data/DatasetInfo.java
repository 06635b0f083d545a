package dev.esae.data;

import dev.esae.train.Provenance;
import java.util.List;

/**
 * A dataset folder's {@code dataset.json}: what drew it and how its shapes are oriented.
 *
 * @param source the generator ({@code shapes}) or the images' origin ({@code fashion-mnist})
 * @param orientations {@code upright} or {@code random} (SPEC §1); Fashion-MNIST's are upright
 * @param seed the draw's seed ({@code null} where nothing is drawn: Fashion-MNIST's first images in file order)
 * @param distinctImages how many of the images are different from each other
 * @param split the split images were taken from ({@code train} or {@code test}; {@code null} for shapes)
 * @param frame how each image was placed in the 64×64 frame ({@code null} for shapes, drawn at 64×64)
 * @param classNames the name of each class label 0..k-1 in {@code classes.npy} ({@code null} for shapes)
 */
public record DatasetInfo(String source, String orientations, Integer images, Long seed, Integer distinctImages, String esaeVersion,
        Provenance provenance, String split, String frame, List<String> classNames) {}
