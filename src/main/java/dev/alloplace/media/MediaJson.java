package dev.alloplace.media;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NumericNode;

/** JSON helpers: numbers as the node type a parser would produce, so values compare equal. */
final class MediaJson {

    private MediaJson() {
    }

    static NumericNode number(long value) {
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE
                ? IntNode.valueOf((int) value)
                : LongNode.valueOf(value);
    }
}
