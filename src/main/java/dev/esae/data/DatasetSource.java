package dev.esae.data;

/**
 * Where a dataset's images come from ({@code esae dataset --source}): {@link #SHAPES}, drawn here
 * (SPEC §1), or {@link #FASHION_MNIST}, read from Fashion-MNIST's idx files ({@link FashionMnist}).
 */
public enum DatasetSource {
    SHAPES(DatasetFiles.SHAPES_SOURCE),
    FASHION_MNIST(DatasetFiles.FASHION_SOURCE);

    private final String id;

    DatasetSource(String id) {
        this.id = id;
    }

    /** The name on the command line and in dataset.json: {@code shapes} or {@code fashion-mnist}. */
    public String id() {
        return id;
    }
}
