package dev.alloplace.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import java.util.List;
import java.util.Locale;

/**
 * How the text of one setting is turned into a value and what is accepted, so that every
 * source (flag, environment, YAML) is parsed and checked the same way.
 */
public sealed interface SettingType<T> {

    /** Parses and checks {@code text}; the error message says what is accepted. */
    T parse(String text) throws IllegalArgumentException;

    /** Human-readable accepted range, used in errors and documentation. */
    String accepted();

    record IntRange(long min, long max) implements SettingType<Integer> {
        @Override
        public Integer parse(String text) {
            long v;
            try {
                v = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not an integer; accepted: " + accepted());
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(v + " is out of range; accepted: " + accepted());
            }
            return (int) v;
        }

        @Override
        public String accepted() {
            return "an integer from " + min + " to " + max;
        }
    }

    record LongRange(long min, long max) implements SettingType<Long> {
        @Override
        public Long parse(String text) {
            long v;
            try {
                v = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not an integer; accepted: " + accepted());
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(v + " is out of range; accepted: " + accepted());
            }
            return v;
        }

        @Override
        public String accepted() {
            return "an integer from " + min + " to " + max;
        }
    }

    record DoubleRange(double min, double max) implements SettingType<Double> {
        @Override
        public Double parse(String text) {
            double v;
            try {
                v = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a number; accepted: " + accepted());
            }
            if (!(v >= min && v <= max)) {
                throw new IllegalArgumentException(text.trim() + " is out of range; accepted: " + accepted());
            }
            return v;
        }

        @Override
        public String accepted() {
            return "a number from " + trim(min) + " to " + trim(max);
        }

        private static String trim(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }

    record Text(int maxLength, boolean allowEmpty) implements SettingType<String> {
        @Override
        public String parse(String text) {
            if (!allowEmpty && text.isBlank()) {
                throw new IllegalArgumentException("must not be empty; accepted: " + accepted());
            }
            if (text.length() > maxLength) {
                throw new IllegalArgumentException("is " + text.length() + " characters long; accepted: " + accepted());
            }
            return text;
        }

        @Override
        public String accepted() {
            return (allowEmpty ? "text" : "non-empty text") + " of at most " + maxLength + " characters";
        }
    }

    record Flag() implements SettingType<Boolean> {
        @Override
        public Boolean parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
                default -> throw new IllegalArgumentException("'" + text + "' is not a boolean; accepted: " + accepted());
            };
        }

        @Override
        public String accepted() {
            return "true or false";
        }
    }

    record Choice(List<String> choices) implements SettingType<String> {
        @Override
        public String parse(String text) {
            String v = text.trim().toLowerCase(Locale.ROOT);
            if (!choices.contains(v)) {
                throw new IllegalArgumentException("'" + text + "' is not allowed; accepted: " + accepted());
            }
            return v;
        }

        @Override
        public String accepted() {
            return "one of " + String.join(", ", choices);
        }
    }

    /** A literal IPv4/IPv6 address (no name lookups at startup). */
    record Address() implements SettingType<InetAddress> {
        @Override
        public InetAddress parse(String text) {
            String v = text.trim();
            if (!v.matches("[0-9a-fA-F:.]+") || v.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address; accepted: " + accepted());
            }
            try {
                return InetAddress.getByName(v);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address; accepted: " + accepted());
            }
        }

        @Override
        public String accepted() {
            return "a literal IP address such as 0.0.0.0 or 127.0.0.1";
        }
    }

    record FilePath() implements SettingType<Path> {
        @Override
        public Path parse(String text) {
            if (text.isBlank()) {
                throw new IllegalArgumentException("must not be empty; accepted: " + accepted());
            }
            try {
                return Path.of(text.trim());
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("'" + text + "' is not a valid path; accepted: " + accepted());
            }
        }

        @Override
        public String accepted() {
            return "a file system path";
        }
    }

    /** A path that may be left empty, meaning "none". */
    record OptionalFilePath() implements SettingType<Optional<Path>> {
        @Override
        public Optional<Path> parse(String text) {
            if (text.isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new FilePath().parse(text));
        }

        @Override
        public String accepted() {
            return "a file system path, or empty for none";
        }
    }

    /**
     * HTTP(S) URL prefixes separated by commas or spaces (a YAML list works too): absolute, with
     * a host, no user info, query or fragment; each comes back normalised with at least a "/"
     * path. Empty text means none.
     */
    record UrlPrefixes(int maxCount) implements SettingType<List<URI>> {
        @Override
        public List<URI> parse(String text) {
            List<URI> prefixes = new ArrayList<>();
            for (String part : text.trim().split("[,\\s]+")) {
                if (part.isEmpty()) {
                    continue;
                }
                prefixes.add(prefix(part));
            }
            if (prefixes.size() > maxCount) {
                throw new IllegalArgumentException(prefixes.size() + " prefixes; accepted: " + accepted());
            }
            return List.copyOf(prefixes);
        }

        private URI prefix(String part) {
            URI uri;
            try {
                uri = new URI(part).normalize();
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("'" + part + "' is not a URL; accepted: " + accepted());
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawUserInfo() != null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawPath().contains("..")) {
                throw new IllegalArgumentException("'" + part + "' is not an http(s) URL prefix with a host and no user info, "
                        + "query or fragment; accepted: " + accepted());
            }
            String path = uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return URI.create(scheme + "://" + uri.getRawAuthority() + path);
        }

        @Override
        public String accepted() {
            return "up to " + maxCount + " http:// or https:// URL prefixes separated by commas or spaces, or empty for none";
        }
    }

    /**
     * A comma-separated list of host names (or IP literals, IPv6 in brackets), without ports;
     * empty for none. Kept lower-case, as host names compare.
     */
    record HostNames(int maxCount) implements SettingType<List<String>> {
        @Override
        public List<String> parse(String text) {
            List<String> names = new ArrayList<>();
            for (String part : text.split(",")) {
                String name = part.trim().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                if (!name.matches("[a-z0-9]([a-z0-9.-]{0,252})|\\[[0-9a-f:.]{2,45}\\]")) {
                    throw new IllegalArgumentException("'" + part.trim() + "' is not a host name; accepted: " + accepted());
                }
                names.add(name);
            }
            if (names.size() > maxCount) {
                throw new IllegalArgumentException(names.size() + " names; accepted: " + accepted());
            }
            return List.copyOf(names);
        }

        @Override
        public String accepted() {
            return "up to " + maxCount + " comma-separated host names without ports (IPv6 in brackets), or empty";
        }
    }

    /**
     * Ed25519 public keys as base64url text without padding (43 characters for 32 bytes),
     * separated by commas or spaces (a YAML list works too); empty for none. Each must be the
     * canonical text of its key, so that it compares equal to the key the place reports.
     */
    record PublicKeys(int maxCount) implements SettingType<List<String>> {
        @Override
        public List<String> parse(String text) {
            List<String> keys = new ArrayList<>();
            for (String part : text.trim().split("[,\\s]+")) {
                if (part.isEmpty()) {
                    continue;
                }
                byte[] bytes = part.matches("[A-Za-z0-9_-]{43}") ? java.util.Base64.getUrlDecoder().decode(part) : null;
                if (bytes == null || bytes.length != 32
                        || !java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(part)) {
                    throw new IllegalArgumentException("'" + part + "' is not a public key; accepted: " + accepted());
                }
                if (!keys.contains(part)) {
                    keys.add(part);
                }
            }
            if (keys.size() > maxCount) {
                throw new IllegalArgumentException(keys.size() + " keys; accepted: " + accepted());
            }
            return List.copyOf(keys);
        }

        @Override
        public String accepted() {
            return "up to " + maxCount + " Ed25519 public keys (base64url without padding, 43 characters each) separated by "
                    + "commas or spaces, or empty for none";
        }
    }
}
