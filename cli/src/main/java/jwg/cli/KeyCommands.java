package jwg.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import jwg.config.Key;
import jwg.crypto.Wipe;
import jwg.crypto.X25519;

/** genkey, pubkey and genpsk, with the input and output of `wg`'s commands of the same names. */
final class KeyCommands {
    private KeyCommands() {}

    static int genkey() {
        byte[] k = X25519.generatePrivateKey();
        System.out.println(Base64.getEncoder().encodeToString(k));
        Wipe.wipe(k);
        return 0;
    }

    static int genpsk() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        System.out.println(Base64.getEncoder().encodeToString(k));
        Wipe.wipe(k);
        return 0;
    }

    static int pubkey(InputStream in) throws IOException, UserError {
        byte[] raw = in.readNBytes(1024);
        String text = new String(raw, StandardCharsets.US_ASCII).strip();
        Wipe.wipe(raw);
        Key key;
        try {
            key = Key.fromBase64(text);
        } catch (IllegalArgumentException e) {
            throw new UserError("pubkey: standard input is not a base64 key of 32 bytes");
        }
        System.out.println(key.derivePublicKey().toBase64());
        return 0;
    }
}
