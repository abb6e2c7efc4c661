package dev.alloplace.acl;

/**
 * Why an ACL change was refused; {@code code} is the machine-readable word sent back in error
 * responses (see docs/protocol-extensions.md).
 */
public record AclError(String code, String message) {

    public static final String INVALID_RULE = "invalid_rule";
    public static final String INVALID_EFFECT = "invalid_effect";
    public static final String INVALID_POSITION = "invalid_position";
    public static final String TOO_MANY_RULES = "too_many_rules";
    public static final String NOT_FOUND = "not_found";
    public static final String INVALID_REQUEST = "invalid_request";
}
