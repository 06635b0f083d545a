package dev.esae.compute.cpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD versions of the CPU backend's hottest float32 loops, through JDK 17's incubating Vector API
 * (loaded straight from the tensors' direct buffers). Only loaded when {@link VectorSupport} says
 * the module is present. Each element goes through the same float operations in the same order as
 * in the scalar loops (Java fuses no multiply-add on either path), so the results are identical.
 *
 * <p>Each operand is a native-order byte buffer and the element index of its first element in
 * that buffer ({@code xAt}); ranges count elements from there.
 */
final class VectorOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private VectorOps() {}

    /** Floats per vector register. */
    static int lanes() {
        return S.length();
    }

    private static FloatVector load(ByteBuffer b, int i) {
        return FloatVector.fromByteBuffer(S, b, i * 4, NATIVE);
    }

    static void relu(ByteBuffer x, int xAt, ByteBuffer y, int yAt, int from, int to) {
        int i = from;
        for (int up = from + S.loopBound(to - from); i < up; i += S.length()) {
            load(x, xAt + i).max(0f).intoByteBuffer(y, (yAt + i) * 4, NATIVE);
        }
        for (; i < to; i++) {
            float v = x.getFloat((xAt + i) * 4);
            y.putFloat((yAt + i) * 4, v > 0f ? v : 0f);
        }
    }

    static void reluBackward(ByteBuffer g, int gAt, ByteBuffer out, int outAt, ByteBuffer gi, int giAt, int from, int to) {
        int i = from;
        FloatVector zero = FloatVector.zero(S);
        for (int up = from + S.loopBound(to - from); i < up; i += S.length()) {
            VectorMask<Float> on = load(out, outAt + i).compare(VectorOperators.GT, 0f);
            zero.blend(load(g, gAt + i), on).intoByteBuffer(gi, (giAt + i) * 4, NATIVE);
        }
        for (; i < to; i++) {
            gi.putFloat((giAt + i) * 4, out.getFloat((outAt + i) * 4) > 0f ? g.getFloat((gAt + i) * 4) : 0f);
        }
    }

    /** {@code x[r, :] += bias} for rows {@code [fromRow, toRow)} of width {@code cols}. */
    static void addRowVector(ByteBuffer x, int xAt, ByteBuffer bias, int biasAt, int cols, int fromRow, int toRow) {
        if (cols < S.length() && S.length() % cols == 0) {
            // Narrow rows (a convolution's channels: 1, 8, 16): the bias tiled across one vector, so
            // a vector covers whole rows and the loop runs over the flat range, not row by row.
            float[] tiled = new float[S.length()];
            for (int j = 0; j < tiled.length; j++) {
                tiled[j] = bias.getFloat((biasAt + j % cols) * 4);
            }
            FloatVector b = FloatVector.fromArray(S, tiled, 0);
            int from = xAt + fromRow * cols;
            int to = xAt + toRow * cols;
            int i = from;
            for (; i + S.length() <= to; i += S.length()) {
                load(x, i).add(b).intoByteBuffer(x, i * 4, NATIVE);
            }
            for (; i < to; i++) {
                x.putFloat(i * 4, x.getFloat(i * 4) + tiled[(i - from) % cols]);
            }
            return;
        }
        int up = S.loopBound(cols);
        for (int r = fromRow; r < toRow; r++) {
            int row = xAt + r * cols;
            int j = 0;
            for (; j < up; j += S.length()) {
                load(x, row + j).add(load(bias, biasAt + j)).intoByteBuffer(x, (row + j) * 4, NATIVE);
            }
            for (; j < cols; j++) {
                x.putFloat((row + j) * 4, x.getFloat((row + j) * 4) + bias.getFloat((biasAt + j) * 4));
            }
        }
    }

    /** {@code dst[dstAt + j] += alpha · src[srcAt + j]} for j < len (element offsets). */
    static void axpyRow(ByteBuffer dst, int dstAt, ByteBuffer src, int srcAt, float alpha, int len) {
        int j = 0;
        for (int up = S.loopBound(len); j < up; j += S.length()) {
            load(dst, dstAt + j).add(load(src, srcAt + j).mul(alpha)).intoByteBuffer(dst, (dstAt + j) * 4, NATIVE);
        }
        for (; j < len; j++) {
            dst.putFloat((dstAt + j) * 4, dst.getFloat((dstAt + j) * 4) + alpha * src.getFloat((srcAt + j) * 4));
        }
    }

    /** {@link #axpyRow(ByteBuffer, int, ByteBuffer, int, float, int)} on arrays: the same operations, about twice as fast on JDK 17. */
    static void axpyRow(float[] dst, int dstAt, float[] src, int srcAt, float alpha, int len) {
        int j = 0;
        for (int up = S.loopBound(len); j < up; j += S.length()) {
            FloatVector.fromArray(S, dst, dstAt + j).add(FloatVector.fromArray(S, src, srcAt + j).mul(alpha)).intoArray(dst, dstAt + j);
        }
        for (; j < len; j++) {
            dst[dstAt + j] = dst[dstAt + j] + alpha * src[srcAt + j];
        }
    }

    /** {@link #axpyRow(ByteBuffer, int, ByteBuffer, int, float, int)} into an array row: the same operations. */
    static void axpyRow(float[] dst, int dstAt, ByteBuffer src, int srcAt, float alpha, int len) {
        int j = 0;
        for (int up = S.loopBound(len); j < up; j += S.length()) {
            FloatVector.fromArray(S, dst, dstAt + j).add(load(src, srcAt + j).mul(alpha)).intoArray(dst, dstAt + j);
        }
        for (; j < len; j++) {
            dst[dstAt + j] = dst[dstAt + j] + alpha * src.getFloat((srcAt + j) * 4);
        }
    }

    /** {@link #dotRow(ByteBuffer, int, ByteBuffer, int, int)} on arrays: the same operations, so the same bits. */
    static float dotRow(float[] a, int aAt, float[] b, int bAt, int len) {
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (int up = S.loopBound(len); j < up; j += S.length()) {
            acc = FloatVector.fromArray(S, a, aAt + j).fma(FloatVector.fromArray(S, b, bAt + j), acc);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            sum += (double) a[aAt + j] * b[bAt + j];
        }
        return (float) sum;
    }

    /**
     * The dot product of two rows of {@code len} floats: whole vectors summed in float lanes, the
     * lane total and the tail (all of a row shorter than a vector) in double, so that a short row
     * whose products cancel keeps the accuracy of the scalar loop.
     */
    static float dotRow(ByteBuffer a, int aAt, ByteBuffer b, int bAt, int len) {
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (int up = S.loopBound(len); j < up; j += S.length()) {
            acc = load(a, aAt + j).fma(load(b, bAt + j), acc);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            sum += (double) a.getFloat((aAt + j) * 4) * b.getFloat((bAt + j) * 4);
        }
        return (float) sum;
    }

    /** {@code row *= scale} for a row of {@code len} floats. */
    static void scaleRow(ByteBuffer x, int at, float scale, int len) {
        int j = 0;
        for (int up = S.loopBound(len); j < up; j += S.length()) {
            load(x, at + j).mul(scale).intoByteBuffer(x, (at + j) * 4, NATIVE);
        }
        for (; j < len; j++) {
            x.putFloat((at + j) * 4, x.getFloat((at + j) * 4) * scale);
        }
    }

    /** The Adam update of {@link dev.esae.compute.Backend#adamStep}, with the scalars precomputed. */
    static void adam(ByteBuffer p, int pAt, ByteBuffer g, int gAt, ByteBuffer m, int mAt, ByteBuffer v, int vAt, float beta1,
            float beta2, float stepSize, float sqrtBc2, float eps, int from, int to) {
        float b1c = 1f - beta1;
        float b2c = 1f - beta2;
        int i = from;
        for (int up = from + S.loopBound(to - from); i < up; i += S.length()) {
            FloatVector gv = load(g, gAt + i);
            FloatVector mv = load(m, mAt + i).mul(beta1).add(gv.mul(b1c));
            FloatVector vv = load(v, vAt + i).mul(beta2).add(gv.mul(b2c).mul(gv));
            mv.intoByteBuffer(m, (mAt + i) * 4, NATIVE);
            vv.intoByteBuffer(v, (vAt + i) * 4, NATIVE);
            FloatVector denom = vv.sqrt().div(sqrtBc2).add(eps);
            load(p, pAt + i).sub(mv.mul(stepSize).div(denom)).intoByteBuffer(p, (pAt + i) * 4, NATIVE);
        }
        for (; i < to; i++) {
            float gi = g.getFloat((gAt + i) * 4);
            float mi = beta1 * m.getFloat((mAt + i) * 4) + b1c * gi;
            float vi = beta2 * v.getFloat((vAt + i) * 4) + b2c * gi * gi;
            m.putFloat((mAt + i) * 4, mi);
            v.putFloat((vAt + i) * 4, vi);
            p.putFloat((pAt + i) * 4, p.getFloat((pAt + i) * 4) - stepSize * mi / ((float) Math.sqrt(vi) / sqrtBc2 + eps));
        }
    }

    /** {@code Σ (a[i] − b[i])²} over {@code len} floats of two arrays, in float lanes, the lane total and tail in double. */
    static float squaredDistance(float[] a, int aAt, float[] b, int bAt, int len) {
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (int up = S.loopBound(len); j < up; j += S.length()) {
            FloatVector diff = FloatVector.fromArray(S, a, aAt + j).sub(FloatVector.fromArray(S, b, bAt + j));
            acc = diff.fma(diff, acc);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            double diff = a[aAt + j] - b[bAt + j];
            sum += diff * diff;
        }
        return (float) sum;
    }

    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;

    /** How many of {@code a[0, n)} are at least {@code t} (n a multiple of {@link #lanes()}: ints are as wide as floats). */
    static int countAtLeast(int[] a, int n, int t) {
        int count = 0;
        for (int i = 0; i < n; i += INTS.length()) {
            count += IntVector.fromArray(INTS, a, i).compare(VectorOperators.GE, t).trueCount();
        }
        return count;
    }

    /** Vectors per chunk of {@link #groupMaxima}: each group holds this many values. */
    static final int GROUP = 16;

    /**
     * Maxima of disjoint groups of a row, without horizontal reductions: the row's full vectors are
     * taken in chunks of {@link #GROUP}, and lane j of a chunk's lanewise maximum is the maximum of
     * the group "lane j of each vector in the chunk". Writes {@code chunks · lanes} maxima (NaN
     * propagates into a group's maximum) and returns how many values they cover; the rest of the
     * row belongs to no group.
     */
    static int groupMaxima(float[] x, int cols, float[] maxima) {
        int lanes = S.length();
        int chunk = GROUP * lanes;
        int chunks = cols / chunk;
        for (int c = 0; c < chunks; c++) {
            int at = c * chunk;
            FloatVector m = FloatVector.fromArray(S, x, at);
            for (int v = 1; v < GROUP; v++) {
                m = m.max(FloatVector.fromArray(S, x, at + v * lanes));
            }
            m.intoArray(maxima, c * lanes);
        }
        return chunks * chunk;
    }
}
