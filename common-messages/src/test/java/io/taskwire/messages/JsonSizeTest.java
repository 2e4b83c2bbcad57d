package io.taskwire.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonSizeTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void boundIsNeverBelowTheEncodedSize() {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            JsonNode value = randomValue(random, 0);
            assertThat(JsonSize.bound(value, Long.MAX_VALUE - 1)).as("%s", value).isGreaterThanOrEqualTo(Json.size(value));
        }
    }

    @Test
    void fitsAgreesWithTheEncodedSizeAtEveryLimit() {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            JsonNode value = randomValue(random, 0);
            long size = Json.size(value);
            for (long limit : new long[] {0, size - 1, size, size + 1, 6 * size}) {
                assertThat(JsonSize.fits(value, limit)).as("%s at %d", value, limit).isEqualTo(size <= limit);
            }
        }
    }

    @Test
    void escapedControlCharactersAndSurrogatePairsStayWithinTheBound() {
        ObjectNode value = NODES.objectNode().put("\u0001\"\\", "\u0000\u001f\ud83d\ude00é\u2028");

        assertThat(JsonSize.bound(value, Long.MAX_VALUE - 1)).isGreaterThanOrEqualTo(Json.size(value));
        assertThat(JsonSize.fits(value, Json.size(value))).isTrue();
        assertThat(JsonSize.fits(value, Json.size(value) - 1)).isFalse();
    }

    private static JsonNode randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 4 ? 9 : 11);
        switch (kind) {
            case 0: return NODES.textNode(randomText(random));
            case 1: return NODES.numberNode(random.nextInt());
            case 2: return NODES.numberNode(random.nextLong());
            case 3: return NODES.numberNode(Double.longBitsToDouble(random.nextLong()));
            case 4: return NODES.numberNode(new BigDecimal(new BigInteger(200, random), random.nextInt(60) - 30));
            case 5: return NODES.booleanNode(random.nextBoolean());
            case 6: return NODES.nullNode();
            case 7: return NODES.binaryNode(randomBytes(random));
            case 8: return NODES.numberNode((short) random.nextInt());
            case 9: {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(6); i > 0; i--) {
                    object.set(randomText(random), randomValue(random, depth + 1));
                }
                return object;
            }
            default: {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(6); i > 0; i--) {
                    array.add(randomValue(random, depth + 1));
                }
                return array;
            }
        }
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(20); i > 0; i--) {
            int pick = random.nextInt(5);
            text.append(pick == 0 ? (char) random.nextInt(0x20) : pick == 1 ? (char) (0x80 + random.nextInt(0x7f80))
                    : pick == 2 ? "\ud83d\ude00" : pick == 3 ? "\"\\/" : "a");
        }
        return text.toString();
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(40)];
        random.nextBytes(bytes);
        return bytes;
    }
}
