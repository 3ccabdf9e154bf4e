package jwg.cli;

import io.netty.channel.epoll.Epoll;
import jwg.crypto.PacketAead;

/**
 * Start-up work that the device needs but the steps before it do not: choosing and self-testing
 * the AEAD backend (loading libcrypto, linking its functions, one seal and open against the
 * JDK's) and loading Netty's epoll transport. A second thread does it while the main thread
 * parses the configuration and makes the interface (the TUN, rtnetlink), so that on two cores
 * the two halves of start-up overlap; class initialisation makes whichever thread comes second
 * wait for the first instead of doing the work twice.
 */
final class Warmup {
    private Warmup() {}

    static void start() {
        if (!Boolean.parseBoolean(System.getProperty("jwg.warmup", "true"))) return;
        Thread.ofPlatform().name("jwg-warmup").daemon().start(() -> {
            try {
                PacketAead.backend();
                Epoll.isAvailable();
            } catch (Throwable e) {
                // the device meets the same failure where it is reported
            }
        });
    }
}
