package jwg.cli;

import jwg.datapath.Device;

/** The metrics endpoint of a running jwg, or none ({@link MetricsOption}). */
interface Metrics extends AutoCloseable {
    /** No metrics: nothing listens, nothing is loaded. */
    Metrics NONE = new Metrics() {
        @Override public void serve(String ifName, Device device) {}
        @Override public void close() {}
    };

    /** From now on a scrape reports device, the interface ifName. */
    void serve(String ifName, Device device);

    /** Stops listening. */
    @Override void close();
}
