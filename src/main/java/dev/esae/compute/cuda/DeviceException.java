package dev.esae.compute.cuda;

/** A device call failed: the driver's error name and what esae was doing. */
public final class DeviceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** True when the failure was running out of device memory (the pool frees its cache and retries). */
    private final boolean outOfMemory;

    public DeviceException(String message, boolean outOfMemory, Throwable cause) {
        super(message, cause);
        this.outOfMemory = outOfMemory;
    }

    public DeviceException(String message) {
        this(message, false, null);
    }

    public boolean outOfMemory() {
        return outOfMemory;
    }
}
