package dev.alloplace.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys, their one text form, their files, and the exact bytes that get signed. */
class IdentityKeysTest {

    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path temp;

    @Test
    void rawKeysAndSignaturesAreRfc8032s() throws Exception {
        // RFC 8032, section 7.1, TEST 1 (the empty message).
        byte[] seed = HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        byte[] publicKey = HEX.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        byte[] signature = HEX.parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
                + "701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        IdentityKey key = IdentityKey.fromSeed(seed, publicKey);
        assertThat(key.sign(new byte[0])).isEqualTo(signature);
        assertThat(Ed25519.verify(publicKey, new byte[0], signature)).isTrue();
        assertThat(Ed25519.verify(publicKey, new byte[] {0}, signature)).isFalse();
        assertThat(Ed25519.raw(Ed25519.publicKey(publicKey))).isEqualTo(publicKey);
        assertThat(key.publicKeyText()).isEqualTo("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
        byte[] otherPublic = IdentityKey.generate().publicKey();
        assertThatThrownBy(() -> IdentityKey.fromSeed(seed, otherPublic)).as("a public key of another seed")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verifyingAnythingMalformedIsFalseNeverAnException() {
        byte[] message = "m".getBytes(StandardCharsets.US_ASCII);
        IdentityKey key = IdentityKey.generate();
        byte[] good = key.sign(message);
        assertThat(Ed25519.verify(key.publicKey(), message, good)).isTrue();
        assertThat(Ed25519.verify(new byte[31], message, good)).isFalse();
        assertThat(Ed25519.verify(key.publicKey(), message, new byte[63])).isFalse();
        assertThat(Ed25519.verify(new byte[32], message, good)).isFalse();
        byte[] notAPoint = new byte[32];
        java.util.Arrays.fill(notAPoint, (byte) 0xff);
        assertThat(Ed25519.verify(notAPoint, message, good)).isFalse();
        byte[] bigS = good.clone();
        java.util.Arrays.fill(bigS, 32, 64, (byte) 0xff);
        assertThat(Ed25519.verify(key.publicKey(), message, bigS)).as("S beyond the group order").isFalse();
    }

    @Test
    void keysOfSmallOrderOrNonCanonicalTextAreNobodysAndProveNothing() {
        byte[] identityPoint = new byte[32];
        identityPoint[0] = 1;
        byte[] trivial = new byte[64];
        trivial[0] = 1; // R = the identity, S = 0: "verifies" for the identity key under any message
        assertThat(Ed25519.verify(identityPoint, "anything".getBytes(StandardCharsets.US_ASCII), trivial))
                .as("the JDK alone would accept this; the place does not").isFalse();
        for (String hex : List.of(
                "0100000000000000000000000000000000000000000000000000000000000000",
                "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                "0000000000000000000000000000000000000000000000000000000000000000",
                "0000000000000000000000000000000000000000000000000000000000000080",
                "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
                "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
                "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
                "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
                "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")) {
            assertThat(Ed25519.acceptableKey(HEX.parseHex(hex))).as(hex).isFalse();
        }
        for (int i = 0; i < 20; i++) {
            assertThat(Ed25519.acceptableKey(IdentityKey.generate().publicKey())).isTrue();
        }
    }

    @Test
    void base64UrlHasOneTextPerByteString() {
        byte[] bytes = HEX.parseHex("fbff00");
        assertThat(Base64Url.encode(bytes)).isEqualTo("-_8A");
        assertThat(Base64Url.decode("-_8A", 3, 3)).isEqualTo(bytes);
        assertThat(Base64Url.decode("AAE", 2, 2)).isEqualTo(new byte[] {0, 1});
        for (String refused : List.of("AAF", "AAE=", "+/8A", "-_8A\n", "A")) {
            assertThat(Base64Url.decode(refused, 0, 3)).as(refused).isNull();
        }
        assertThat(Base64Url.decode("AAAA", 4, 8)).as("3 bytes where 4..8 are wanted").isNull();
        assertThat(Base64Url.decode("A".repeat(100_000), 1, 64)).as("too long to be decoded at all").isNull();
        assertThat(Base64Url.length(32)).isEqualTo(43);
        assertThat(Base64Url.length(64)).isEqualTo(86);
    }

    @Test
    void theProofsAreTheDocumentedBytes() {
        byte[] clientNonce = new byte[16];
        java.util.Arrays.fill(clientNonce, (byte) 0x11);
        byte[] serverNonce = new byte[32];
        java.util.Arrays.fill(serverNonce, (byte) 0x22);
        byte[] placeKey = new byte[32];
        java.util.Arrays.fill(placeKey, (byte) 0x33);
        byte[] agentKey = new byte[32];
        java.util.Arrays.fill(agentKey, (byte) 0x44);
        String expectedPlace = HEX.formatHex("alloplace-identity-v1/place".getBytes(StandardCharsets.US_ASCII)) + "00"
                + "10" + "11".repeat(16) + "20" + "22".repeat(32) + "03" + HEX.formatHex("abc".getBytes(StandardCharsets.US_ASCII))
                + "20" + "33".repeat(32);
        assertThat(HEX.formatHex(IdentityProof.placeProof(clientNonce, serverNonce, "abc", placeKey))).isEqualTo(expectedPlace);
        String expectedAgent = expectedPlace.replace(HEX.formatHex("/place".getBytes(StandardCharsets.US_ASCII)),
                HEX.formatHex("/agent".getBytes(StandardCharsets.US_ASCII))) + "20" + "44".repeat(32);
        assertThat(HEX.formatHex(IdentityProof.agentProof(clientNonce, serverNonce, "abc", placeKey, agentKey)))
                .isEqualTo(expectedAgent);
        assertThat(IdentityProof.PLACE_LABEL).hasSize(27);
        assertThat(IdentityProof.AGENT_LABEL).hasSize(27);
        assertThatThrownBy(() -> IdentityProof.placeProof(new byte[15], serverNonce, "abc", placeKey))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdentityProof.placeProof(clientNonce, serverNonce, "é", placeKey))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKeyFileIsCreatedOwnerOnlyReadBackAndNeverOverwritten() throws Exception {
        Path file = temp.resolve("sub/dir/key.json");
        KeyFile.Loaded first = KeyFile.loadOrCreate(file);
        assertThat(first.created()).isTrue();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(KeyFile.ownerOnly(file)).isTrue();
        KeyFile.Loaded again = KeyFile.loadOrCreate(file);
        assertThat(again.created()).isFalse();
        assertThat(again.key().publicKeyText()).isEqualTo(first.key().publicKeyText());
        byte[] message = {1, 2, 3};
        assertThat(Ed25519.verify(first.key().publicKey(), message, again.key().sign(message))).as("the same private key").isTrue();
        assertThatThrownBy(() -> KeyFile.create(file, IdentityKey.generate())).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(KeyFile.read(file).publicKeyText()).isEqualTo(first.key().publicKeyText());
        try (var left = Files.list(file.getParent())) {
            assertThat(left).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void aDamagedKeyFileIsRefusedSayingWhy() throws Exception {
        Path file = temp.resolve("key.json");
        KeyFile.create(file, IdentityKey.generate());
        String text = Files.readString(file);
        String otherPublic = IdentityKey.generate().publicKeyText();
        Path swapped = temp.resolve("swapped.json");
        Files.writeString(swapped, text.replaceAll("\"public_key\" : \"[^\"]+\"", "\"public_key\" : \"" + otherPublic + "\""));
        assertThatThrownBy(() -> KeyFile.read(swapped)).hasMessageContaining("damaged");
        Path padded = temp.resolve("padded.json");
        Files.writeString(padded, text.replaceAll("(\"private_key\" : \"[^\"]+)\"", "$1=\""));
        assertThatThrownBy(() -> KeyFile.read(padded)).hasMessageContaining("base64url");
        Path foreign = temp.resolve("foreign.json");
        Files.writeString(foreign, "{\"format\": 2, \"algorithm\": \"Ed25519\"}");
        assertThatThrownBy(() -> KeyFile.read(foreign)).hasMessageContaining("no alloplace key file");
        Path big = temp.resolve("big.json");
        Files.writeString(big, " ".repeat(10_000));
        assertThatThrownBy(() -> KeyFile.read(big)).hasMessageContaining("larger than");
    }
}
