package dev.esae.train;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;

/**
 * Curvature pairs on a compute backend in float32, and {@code −H g} from two matrix products: the
 * memory of the large problems ({@code fit-m --solver lbfgs}: each pair is d² numbers, 100 pairs
 * are 52 MB, and the two-loop recursion's 400 dependent vector passes took more time than the
 * objective).
 *
 * <p>The two-loop recursion only ever combines the pairs linearly, so every inner product it takes
 * follows from {@code S g}, {@code Y g} and the small Gram matrices {@code S Yᵀ}, {@code Y Yᵀ}
 * (the compact form of Byrd, Nocedal &amp; Schnabel 1994). Per direction:
 * <ol>
 * <li>one product {@code [S; Y] · [g; s_new; y_new]ᵀ} reads the history once and gives
 *     {@code S g}, {@code Y g} and the Gram entries of the pair added since the last call;
 * <li>the recursion runs on those numbers (O(m²) on the host, in double), giving coefficients
 *     {@code a, b} with {@code H g = γ g + Sᵀ a + Yᵀ b};
 * <li>one product {@code [a; b]ᵀ · [S; Y]} reads the history a second time and gives the direction.
 * </ol>
 * Both products are BLAS calls (threaded, vectorised) or cuBLAS on a GPU, where the history then
 * stays in device memory. Storing the pairs in float rounds them by 6e-8 of their size, below the
 * float32 objective's own rounding of the gradients they are differences of; {@code s·y} and
 * {@code y·y} of each pair, which scale the recursion, stay the caller's double values. The
 * direction equals the two-loop recursion's to float precision ({@code CompactCurvatureMemoryTest}).
 */
public final class CompactCurvatureMemory implements CurvatureMemory {
    private final Backend backend;
    private final int capacity;
    private final int n;
    /** Row 2i: s of the pair in slot i; row 2i + 1: its y. Interleaved, the used rows are always [0, 2·size). */
    private final Tensor pairs;
    /** Rows g, s_new, y_new: the right-hand side of the first product. */
    private final Tensor v;
    private final Tensor out;
    private final Tensor products;
    /** slot[k]: the row of the k-th oldest pair. */
    private final int[] slot;
    /** By slot: s_i·y_j, y_i·y_j (the diagonal is the caller's double s·y and y·y). */
    private final double[][] sy;
    private final double[][] yy;
    private final double[] alpha;
    private final double[] sg;
    private final double[] yg;
    /** By slot: α − β, the coefficient of s in {@code H g}. */
    private final double[] combined;
    private final float[] hostG;
    private int size;
    /** The slot whose Gram entries the next product fills in, or -1. */
    private int pending = -1;
    private boolean closed;

    /** A memory of {@code capacity} pairs of vectors of length {@code n}, on {@code backend}. */
    public CompactCurvatureMemory(Backend backend, int capacity, int n) {
        if (capacity < 1 || n < 1) {
            throw new IllegalArgumentException("need at least one pair of at least one number, got " + capacity + " of " + n);
        }
        this.backend = backend;
        this.capacity = capacity;
        this.n = n;
        Tensor[] made = new Tensor[4];
        try {
            made[0] = backend.zeros(DType.F32, 2 * capacity, n);
            made[1] = backend.zeros(DType.F32, 3, n);
            made[2] = backend.zeros(DType.F32, 1, n);
            made[3] = backend.zeros(DType.F32, 2 * capacity * 3);
        } catch (RuntimeException e) {
            for (Tensor t : made) {
                if (t != null) {
                    t.close();
                }
            }
            throw e;
        }
        pairs = made[0];
        v = made[1];
        out = made[2];
        products = made[3];
        slot = new int[capacity];
        sy = new double[capacity][capacity];
        yy = new double[capacity][capacity];
        alpha = new double[capacity];
        sg = new double[capacity];
        yg = new double[capacity];
        combined = new double[capacity];
        hostG = new float[n];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void clear() {
        size = 0;
        pending = -1;
    }

    @Override
    public void add(double[] sv, double[] yv, double syValue, double yyValue) {
        if (sv.length != n || yv.length != n) {
            throw new IllegalArgumentException("pairs of " + n + " numbers, given " + sv.length + " and " + yv.length);
        }
        if (pending >= 0) {
            // Two pairs in a row with no direction between: the first one's Gram entries now.
            products(false);
        }
        int row;
        if (size < capacity) {
            // Until the memory is full the k-th pair sits in row k, so the used rows are [0, size).
            row = size;
            slot[size++] = row;
        } else {
            row = slot[0];
            System.arraycopy(slot, 1, slot, 0, capacity - 1);
            slot[capacity - 1] = row;
        }
        upload(sv, pairs.rows(2 * row, 1));
        upload(yv, pairs.rows(2 * row + 1, 1));
        sy[row][row] = syValue;
        yy[row][row] = yyValue;
        pending = row;
    }

    @Override
    public void direction(double[] g, double[] dir) {
        if (size == 0) {
            for (int i = 0; i < n; i++) {
                dir[i] = -g[i];
            }
            return;
        }
        upload(g, v.rows(0, 1));
        products(true);
        // The two-loop recursion on coefficients: q = g − Σ α_j y_j, r = γ q + Σ (α_j − β_j) s_j.
        for (int k = size - 1; k >= 0; k--) {
            int i = slot[k];
            double sq = sg[i];
            for (int l = k + 1; l < size; l++) {
                int j = slot[l];
                sq -= alpha[j] * sy[i][j];
            }
            alpha[i] = (1 / sy[i][i]) * sq;
        }
        int newest = slot[size - 1];
        double gamma = sy[newest][newest] / yy[newest][newest];
        float[] c = new float[2 * size];
        for (int k = 0; k < size; k++) {
            int i = slot[k];
            double yq = yg[i];
            for (int l = 0; l < size; l++) {
                int j = slot[l];
                yq -= alpha[j] * yy[i][j];
            }
            double yr = gamma * yq;
            for (int l = 0; l < k; l++) {
                int j = slot[l];
                yr += combined[j] * sy[j][i];
            }
            combined[i] = alpha[i] - (1 / sy[i][i]) * yr;
        }
        for (int i = 0; i < size; i++) {
            c[2 * i] = (float) combined[i];
            c[2 * i + 1] = (float) (-gamma * alpha[i]);
        }
        // The second read: out = Σ_i c_{2i} s_i + c_{2i+1} y_i, then dir = −(γ g + out).
        try (Tensor coef = backend.upload(c, 1, 2 * size)) {
            backend.gemm(false, false, 1f, coef, pairs.rows(0, 2 * size), 0f, out);
        }
        float[] o = backend.download(out);
        for (int i = 0; i < n; i++) {
            dir[i] = -(gamma * g[i] + o[i]);
        }
    }

    /**
     * One read of the history: every used row times {@code [g, s_new, y_new]} (one product) (without the g column when {@code withG} is false), stored as {@link #sg},
     * {@link #yg} and the pending pair's Gram entries.
     */
    private void products(boolean withG) {
        if (pending >= 0) {
            backend.copy(pairs.rows(2 * pending, 2), v.rows(1, 2));
        }
        int first = withG ? 0 : 1;
        int cols = (pending >= 0 ? 3 : 1) - first;
        Tensor p = products.rows(0, 2 * size * cols).reshape(2 * size, cols);
        backend.gemm(false, true, 1f, pairs.rows(0, 2 * size), v.rows(first, cols), 0f, p);
        float[] f = backend.download(p);
        int gram = withG ? 1 : 0;
        for (int r = 0; r < size; r++) {
            int sRow = 2 * r * cols;
            int yRow = (2 * r + 1) * cols;
            if (withG) {
                sg[r] = f[sRow];
                yg[r] = f[yRow];
            }
            if (pending >= 0 && r != pending) {
                sy[pending][r] = f[yRow + gram];
                sy[r][pending] = f[sRow + gram + 1];
                yy[pending][r] = f[yRow + gram + 1];
                yy[r][pending] = yy[pending][r];
            }
        }
        pending = -1;
    }

    private void upload(double[] values, Tensor row) {
        for (int i = 0; i < n; i++) {
            hostG[i] = (float) values[i];
        }
        try (Tensor t = backend.upload(hostG, 1, n)) {
            backend.copy(t, row);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (Tensor t : new Tensor[] {pairs, v, out, products}) {
                t.close();
            }
        }
    }
}
