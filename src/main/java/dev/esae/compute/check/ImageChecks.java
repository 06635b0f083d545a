package dev.esae.compute.check;

import static dev.esae.compute.check.SelfTest.FLOAT_TOLERANCE;

import dev.esae.compute.ConvGeometry;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;

/**
 * The self-test's checks of image operations: the convolution unfolding (im2col, and col2im over
 * a NaN-filled output, which it must overwrite) and the quarter-turn rotation.
 */
final class ImageChecks extends CheckFamily {
    ImageChecks(CheckRecorder rec) {
        super(rec);
    }

    void conv(int batch, ConvGeometry g) {
        int rows = batch * g.outPositions();
        float[] xv = rec.random(batch * g.inputSize());
        float[] cv = rec.random(rows * g.patchSize());
        double[] refCols = ReferenceOps.im2col(SelfTest.toDouble(xv), batch, g);
        double[] refImg = ReferenceOps.col2im(SelfTest.toDouble(cv), batch, g);
        float[] refColsF = new float[refCols.length];
        for (int i = 0; i < refCols.length; i++) {
            refColsF[i] = (float) refCols[i];
        }
        String c = "b=" + batch + " " + g.inH() + "x" + g.inW() + "x" + g.channels() + " k" + g.kernelH() + "x" + g.kernelW()
                + " s" + g.stride() + " p" + g.padding();
        try (Tensor x = backend.upload(xv, batch, g.inH(), g.inW(), g.channels()); Tensor cols = backend.zeros(DType.F32, rows, g.patchSize());
             Tensor dc = backend.upload(cv, rows, g.patchSize()); Tensor dx = backend.zeros(DType.F32, batch, g.inH(), g.inW(), g.channels())) {
            backend.im2col(x, g, cols);
            rec.add("im2col", c, rec.same(backend.download(cols), refColsF), 0);
            backend.fill(dx, Float.NaN);
            backend.col2im(dc, g, dx);
            rec.add("col2im", c, rec.err(backend.download(dx), refImg), FLOAT_TOLERANCE);
        }
    }

    void rot90(int batch, int size, int turns) {
        float[] xv = rec.random(batch * size * size);
        float[] ref = ReferenceOps.rot90(xv, batch, size, turns);
        try (Tensor x = backend.upload(xv, batch, size, size); Tensor out = backend.zeros(DType.F32, batch, size, size)) {
            backend.rot90(x, turns, out);
            rec.add("rot90", "[" + batch + "," + size + "," + size + "] turns=" + turns, rec.same(backend.download(out), ref), 0);
        }
    }
}
