#!/usr/bin/env python3
"""Independent reference of the WireGuard handshake (whitepaper 5.4), written from the paper with
hashlib's BLAKE2s and pyca/cryptography's X25519 and ChaCha20-Poly1305, to produce the expected
values of HandshakeKnownAnswerTest. Run: python3 wireguard_kat.py"""
import hashlib, hmac, struct
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives import serialization

def HASH(*parts): return hashlib.blake2s(b"".join(parts)).digest()
def MAC(key, data): return hashlib.blake2s(data, key=key, digest_size=16).digest()
def HMAC(key, data): return hmac.new(key, data, hashlib.blake2s).digest()
def KDF(n, key, data):
    t0 = HMAC(key, data); out = []; prev = b""
    for i in range(1, n + 1):
        prev = HMAC(t0, prev + bytes([i])); out.append(prev)
    return out
def raw(pub): return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
def PUB(priv): return raw(X25519PrivateKey.from_private_bytes(priv).public_key())
def DH(priv, pub):
    r = X25519PrivateKey.from_private_bytes(priv).exchange(X25519PublicKey.from_public_bytes(pub))
    assert r != bytes(32); return r
def nonce(counter): return bytes(4) + struct.pack("<Q", counter)
def AEAD(key, counter, pt, ad): return ChaCha20Poly1305(key).encrypt(nonce(counter), pt, ad)
def AEAD_OPEN(key, counter, ct, ad): return ChaCha20Poly1305(key).decrypt(nonce(counter), ct, ad)

def rotl(v, c): return ((v << c) & 0xffffffff) | (v >> (32 - c))
def qr(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & 0xffffffff; s[d] = rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & 0xffffffff; s[b] = rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & 0xffffffff; s[d] = rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & 0xffffffff; s[b] = rotl(s[b] ^ s[c], 7)
def hchacha20(key, n16):
    s = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574] + list(struct.unpack("<8I", key)) + list(struct.unpack("<4I", n16))
    for _ in range(10):
        qr(s, 0, 4, 8, 12); qr(s, 1, 5, 9, 13); qr(s, 2, 6, 10, 14); qr(s, 3, 7, 11, 15)
        qr(s, 0, 5, 10, 15); qr(s, 1, 6, 11, 12); qr(s, 2, 7, 8, 13); qr(s, 3, 4, 9, 14)
    return struct.pack("<8I", *(s[0:4] + s[12:16]))
def XAEAD(key, n24, pt, ad):
    return ChaCha20Poly1305(hchacha20(key, n24[:16])).encrypt(bytes(4) + n24[16:], pt, ad)
# draft-irtf-cfrg-xchacha-03 2.2.1 HChaCha20 test vector
assert hchacha20(bytes(range(32)), bytes.fromhex("000000090000004a0000000031415927")).hex() == \
    "82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc"

def clamp(k):
    k = bytearray(k); k[0] &= 248; k[31] &= 127; k[31] |= 64; return bytes(k)
def tai64n(sec, nanos): return struct.pack(">QI", 0x400000000000000a + sec, nanos & ~0xffffff)

CONSTRUCTION = b"Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s"; IDENTIFIER = b"WireGuard v1 zx2c4 Jason@zx2c4.com"
seq = lambda start: bytes((start + i) & 0xff for i in range(32))
S_i_priv, S_r_priv = seq(0x01), seq(0x41)      # static private keys (clamped by X25519)
E_i_raw, E_r_raw = seq(0x81), seq(0xc1)        # random bytes drawn for the ephemerals
PSK = bytes.fromhex("2a" * 32)
I_i, I_r = 0x1b2c3d4e, 0x8a9b0c1d
SEC, NANOS = 1700000000, 123456789
S_i_pub, S_r_pub = PUB(S_i_priv), PUB(S_r_priv)
E_i, E_r = clamp(E_i_raw), clamp(E_r_raw)

C = HASH(CONSTRUCTION); H = HASH(C, IDENTIFIER)
print("initialChainingKey", C.hex()); print("initialHash", H.hex())
# 5.4.2 initiation
H = HASH(H, S_r_pub)
E_i_pub = PUB(E_i)
C = KDF(1, C, E_i_pub)[0]; H = HASH(H, E_i_pub)
C, k = KDF(2, C, DH(E_i, S_r_pub)); enc_static = AEAD(k, 0, S_i_pub, H); H = HASH(H, enc_static)
C, k = KDF(2, C, DH(S_i_priv, S_r_pub)); enc_ts = AEAD(k, 0, tai64n(SEC, NANOS), H); H = HASH(H, enc_ts)
init = struct.pack("<II", 1, I_i) + E_i_pub + enc_static + enc_ts
mac1 = MAC(HASH(b"mac1----", S_r_pub), init); init += mac1 + bytes(16)
assert len(init) == 148
# 5.4.3 response
E_r_pub = PUB(E_r)
C = KDF(1, C, E_r_pub)[0]; H = HASH(H, E_r_pub)
C = KDF(1, C, DH(E_r, E_i_pub))[0]
C = KDF(1, C, DH(E_r, S_i_pub))[0]
C, tau, k = KDF(3, C, PSK); H = HASH(H, tau)
enc_nothing = AEAD(k, 0, b"", H); H = HASH(H, enc_nothing)
resp = struct.pack("<III", 2, I_r, I_i) + E_r_pub + enc_nothing
resp += MAC(HASH(b"mac1----", S_i_pub), resp) + bytes(16)
assert len(resp) == 92
# 5.4.5 transport keys
T_send_i, T_recv_i = KDF(2, C, b"")
# 5.4.6 transport: "hello" padded to 16, counter 0, from initiator
pt = b"hello" + bytes(11)
transport = struct.pack("<IIQ", 4, I_r, 0) + AEAD(T_send_i, 0, pt, b"")
# 5.4.7 cookie reply from the responder to the initiation, source 192.0.2.1:51820
R_m = seq(0x10); NONCE = bytes(range(0xa0, 0xa0 + 24))
cookie = MAC(R_m, bytes([192, 0, 2, 1]) + struct.pack(">H", 51820))
reply = struct.pack("<II", 3, I_i) + NONCE + XAEAD(HASH(b"cookie--", S_r_pub), NONCE, cookie, mac1)
assert len(reply) == 64
# the initiation again with mac2 under that cookie
init2 = init[:132] + MAC(cookie, init[:132])
for name, v in [("staticPublicI", S_i_pub), ("staticPublicR", S_r_pub), ("initiation", init), ("response", resp),
                ("sendKeyI", T_send_i), ("receiveKeyI", T_recv_i), ("transportHello", transport),
                ("cookie", cookie), ("cookieReply", reply), ("initiationMac2", init2[132:])]:
    print(name, v.hex())
