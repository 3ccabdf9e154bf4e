package jwg.cli.uapi;

import java.time.Duration;

/**
 * What one configuration socket lets its clients hold, in one place: connections, time and the
 * memory of requests in progress. wg(8) connects, sends one request, reads the reply and closes,
 * in milliseconds even for 100,000 peers; a client that holds a connection open without a request,
 * or sends one slowly, or does not read its reply, is closed when its time is up, so that it never
 * keeps wg out or its memory in.
 *
 * @param connections  connections at once; a new one beyond them closes the one idle longest
 *                     (waiting between requests), or is refused if none is idle
 * @param idle         how long a connection may wait for its next request (the operation line)
 * @param request      how long a request may take from its operation line to its reply's last byte
 * @param budgetBytes  the bytes that all requests in progress may hold at once: a `set` its text
 *                     as it is read, a `get` an estimate of its reply; beyond it, a request waits
 *                     for room until its time is up, then gets ENOMEM
 */
record UapiLimits(int connections, Duration idle, Duration request, long budgetBytes) {
    /** The largest `set`: ~120,000 peers of one allowed IP each, as `wg setconf` sends them. */
    static final long MAX_SET_BYTES = 16L << 20;

    static final UapiLimits DEFAULT = new UapiLimits(128, Duration.ofSeconds(60), Duration.ofSeconds(30), 2 * MAX_SET_BYTES);

    UapiLimits {
        if (connections < 1 || budgetBytes < MAX_SET_BYTES) throw new IllegalArgumentException("limits too small");
    }
}
