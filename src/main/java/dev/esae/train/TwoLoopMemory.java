package dev.esae.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Curvature pairs on the host in double and the two-loop recursion (Nocedal &amp; Wright,
 * Algorithm 7.4): the memory of the small problems (logistic-regression probes), where each pair
 * is a few hundred numbers and the recursion costs nothing next to the objective.
 */
public final class TwoLoopMemory implements CurvatureMemory {
    private final int capacity;
    private final List<double[]> ss = new ArrayList<>();
    private final List<double[]> ys = new ArrayList<>();
    private final List<Double> rhos = new ArrayList<>();
    private final double[] alpha;

    public TwoLoopMemory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.alpha = new double[capacity];
    }

    @Override
    public int size() {
        return ss.size();
    }

    @Override
    public void clear() {
        ss.clear();
        ys.clear();
        rhos.clear();
    }

    @Override
    public void direction(double[] g, double[] dir) {
        System.arraycopy(g, 0, dir, 0, g.length);
        for (int i = ss.size() - 1; i >= 0; i--) {
            alpha[i] = rhos.get(i) * Lbfgs.dot(ss.get(i), dir);
            Lbfgs.axpy(-alpha[i], ys.get(i), dir);
        }
        double gamma = 1;
        if (!ss.isEmpty()) {
            double[] yl = ys.get(ys.size() - 1);
            gamma = Lbfgs.dot(ss.get(ss.size() - 1), yl) / Lbfgs.dot(yl, yl);
        }
        Lbfgs.scale(gamma, dir);
        for (int i = 0; i < ss.size(); i++) {
            double beta = rhos.get(i) * Lbfgs.dot(ys.get(i), dir);
            Lbfgs.axpy(alpha[i] - beta, ss.get(i), dir);
        }
        Lbfgs.scale(-1, dir);
    }

    @Override
    public void add(double[] s, double[] y, double sy, double yy) {
        if (ss.size() == capacity) {
            ss.remove(0);
            ys.remove(0);
            rhos.remove(0);
        }
        ss.add(s);
        ys.add(y);
        rhos.add(1 / sy);
    }
}
