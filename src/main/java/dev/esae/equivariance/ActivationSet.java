package dev.esae.equivariance;

import dev.esae.InputException;
import dev.esae.io.ElementType;
import dev.esae.io.HostArray;
import dev.esae.io.Npy;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Activations of every orientation of each input: {@code [N, n, d]}, entry {@code [i, p]} being
 * ψ(g^p x_i). Read from a float32 {@code [N, n, d]} file, or from a flat {@code [N·n, d]} file with
 * an int powers file when its rows are whole orbits in order (powers 0, 1, ..., n-1, 0, 1, ...):
 * fitting M needs each input in every orientation, which is what ties the rows together.
 */
public final class ActivationSet {
    private final float[] data;
    private final int count;
    private final int order;
    private final int dim;

    public ActivationSet(float[] data, int count, int order, int dim) {
        if ((long) count * order * dim != data.length) {
            throw new IllegalArgumentException(data.length + " values are not [" + count + ", " + order + ", " + dim + "]");
        }
        this.data = data;
        this.count = count;
        this.order = order;
        this.dim = dim;
    }

    /** Reads and checks an activations file (and, for a flat file, its powers). */
    public static ActivationSet read(Path acts, Path powers) {
        HostArray a = Npy.read(acts);
        if (a.dtype() != ElementType.FLOAT32) {
            throw new InputException(acts + ": expected float32 activations, found " + a.describe());
        }
        ActivationSet set;
        if (a.rank() == 3) {
            if (powers != null) {
                throw new InputException("--powers " + powers + ": not used with a [N, n, d] activations file (" + acts + " is "
                        + a.describe() + ")");
            }
            set = new ActivationSet(a.toFloats(), a.dim(0), a.dim(1), a.dim(2));
        } else if (a.rank() == 2) {
            if (powers == null) {
                throw new InputException(acts + ": is " + a.describe() + "; a flat [N, d] file needs --powers FILE "
                        + "(or save every orientation of each input as [N, n, d])");
            }
            set = fromFlat(a, acts, powers);
        } else {
            throw new InputException(acts + ": expected activations [N, n, d] (or [N, d] with --powers), found " + a.describe());
        }
        if (set.order < 2) {
            throw new InputException(acts + ": has n = " + set.order + " orientation(s); fitting M needs n >= 2");
        }
        if (set.count < 2 || set.dim < 1) {
            throw new InputException(acts + ": holds " + set.count + " input(s) of dimension " + set.dim + "; need at least 2 inputs");
        }
        for (int i = 0; i < set.data.length; i++) {
            if (!Float.isFinite(set.data[i])) {
                int per = set.order * set.dim;
                throw new InputException(acts + ": holds " + set.data[i] + " at [" + i / per + ", " + (i % per) / set.dim + ", "
                        + i % set.dim + "]; activations must be finite");
            }
        }
        return set;
    }

    private static ActivationSet fromFlat(HostArray a, Path acts, Path powersFile) {
        HostArray pa = Npy.read(powersFile);
        long[] p;
        if (pa.dtype() == ElementType.INT64 && pa.rank() == 1) {
            p = pa.toLongs();
        } else if (pa.dtype() == ElementType.INT32 && pa.rank() == 1) {
            p = Arrays.stream(pa.toInts()).asLongStream().toArray();
        } else {
            throw new InputException(powersFile + ": expected int32 or int64 powers [N], found " + pa.describe());
        }
        int rows = a.dim(0);
        if (p.length != rows) {
            throw new InputException(powersFile + ": holds " + p.length + " powers for " + rows + " rows of " + acts);
        }
        // Before n is taken from the largest: powers below 0 made n = 0 (a division by zero), or beyond the long range.
        for (int i = 0; i < rows; i++) {
            if (p[i] < 0 || p[i] >= rows) {
                throw new InputException(powersFile + ": row " + i + " has power " + p[i] + "; expected powers 0..n-1 of n orientations,"
                        + " n at most the " + rows + " rows");
            }
        }
        long n = Arrays.stream(p).max().orElse(0) + 1;
        for (int i = 0; i < rows; i++) {
            if (p[i] != i % n || rows % n != 0) {
                throw new InputException(powersFile + ": row " + i + " has power " + p[i] + "; fitting M needs whole orbits in"
                        + " order (powers 0..n-1 repeated, here n = " + n + "), so that each input appears in every orientation");
            }
        }
        return new ActivationSet(a.toFloats(), rows / (int) n, (int) n, a.dim(1));
    }

    /** All values, {@code [N, n, d]} row-major (not copied: do not modify). */
    public float[] data() {
        return data;
    }

    /** N, the number of inputs. */
    public int count() {
        return count;
    }

    /** n, the number of orientations (the group order). */
    public int order() {
        return order;
    }

    /** d, the activation dimension. */
    public int dim() {
        return dim;
    }

    /** ψ of orientation {@code p} of every input: {@code [N, d]}. */
    public float[] orientation(int p) {
        float[] out = new float[count * dim];
        for (int i = 0; i < count; i++) {
            System.arraycopy(data, (i * order + p) * dim, out, i * dim, dim);
        }
        return out;
    }
}
