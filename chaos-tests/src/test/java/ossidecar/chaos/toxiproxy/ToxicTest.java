package ossidecar.chaos.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToxicTest {

    private static JsonNode json(String s) throws Exception {
        return ApiResponse.MAPPER.readTree(s);
    }

    @Test
    void createAppliesToxiproxyDefaultsAndEchoesEveryAttribute() throws Exception {
        Toxic t = Toxic.fromCreateJson(json("{\"type\":\"latency\"}"));
        assertEquals("latency_downstream", t.name());
        assertEquals(Direction.DOWNSTREAM, t.stream());
        assertEquals(1f, t.toxicity());
        assertEquals("{\"attributes\":{\"latency\":0,\"jitter\":0},\"name\":\"latency_downstream\","
                + "\"type\":\"latency\",\"stream\":\"downstream\",\"toxicity\":1}", t.toJson().toString());
    }

    @Test
    void everyTypeEchoesItsFullAttributeSet() throws Exception {
        String[][] expected = {
            {"latency", "{\"latency\":0,\"jitter\":0}"},
            {"bandwidth", "{\"rate\":0}"},
            {"slow_close", "{\"delay\":0}"},
            {"timeout", "{\"timeout\":0}"},
            {"reset_peer", "{\"timeout\":0}"},
            {"slicer", "{\"average_size\":0,\"size_variation\":0,\"delay\":0}"},
            {"limit_data", "{\"bytes\":0}"},
            {"noop", "{}"},
        };
        for (String[] e : expected) {
            Toxic t = Toxic.fromCreateJson(json("{\"type\":\"" + e[0] + "\",\"stream\":\"upstream\"}"));
            assertEquals(e[1], t.toJson().get("attributes").toString(), e[0]);
            assertEquals(e[0] + "_upstream", t.name());
        }
    }

    @Test
    void createTakesNameStreamToxicityAndAttributesIgnoringUnknownOnes() throws Exception {
        Toxic t = Toxic.fromCreateJson(json("{\"name\":\"slow\",\"type\":\"slicer\",\"stream\":\"upstream\","
                + "\"toxicity\":0.25,\"extra\":true,\"attributes\":{\"average_size\":100,\"delay\":5,\"bogus\":1}}"));
        assertEquals("slow", t.name());
        assertEquals(Direction.UPSTREAM, t.stream());
        assertEquals("{\"attributes\":{\"average_size\":100,\"size_variation\":0,\"delay\":5},\"name\":\"slow\","
                + "\"type\":\"slicer\",\"stream\":\"upstream\",\"toxicity\":0.25}", t.toJson().toString());
    }

    @Test
    void createRejectsWithToxiproxyMessages() {
        ApiException stream = assertThrows(ApiException.class,
                () -> Toxic.fromCreateJson(json("{\"type\":\"latency\",\"stream\":\"sideways\"}")));
        assertEquals(400, stream.status());
        assertEquals("stream was invalid, can be either upstream or downstream", stream.getMessage());

        ApiException type = assertThrows(ApiException.class,
                () -> Toxic.fromCreateJson(json("{\"type\":\"lag\"}")));
        assertEquals(400, type.status());
        assertEquals("invalid toxic type", type.getMessage());

        ApiException missingType = assertThrows(ApiException.class, () -> Toxic.fromCreateJson(json("{}")));
        assertEquals("invalid toxic type", missingType.getMessage());

        ApiException badAttr = assertThrows(ApiException.class, () -> Toxic.fromCreateJson(
                json("{\"type\":\"latency\",\"attributes\":{\"latency\":\"100\"}}")));
        assertEquals(400, badAttr.status());
        assertEquals("bad request body: json: cannot unmarshal string into Go struct field "
                + "LatencyToxic.attributes.latency of type int64", badAttr.getMessage());
        assertEquals("bad request body: json: cannot unmarshal string into Go struct field "
                + "ResetToxic.attributes.timeout of type int64", assertThrows(ApiException.class,
                        () -> Toxic.fromCreateJson(json("{\"type\":\"reset_peer\",\"attributes\":{\"timeout\":\"x\"}}")))
                        .getMessage());
        assertEquals("bad request body: json: cannot unmarshal bool into Go struct field "
                + "SlicerToxic.attributes.delay of type int", assertThrows(ApiException.class,
                        () -> Toxic.fromCreateJson(json("{\"type\":\"slicer\",\"attributes\":{\"delay\":true}}")))
                        .getMessage());
        assertEquals("bad request body: json: cannot unmarshal array into Go struct field "
                + "ToxicWrapper.attributes of type toxics.NoopToxic", assertThrows(ApiException.class,
                        () -> Toxic.fromCreateJson(json("{\"type\":\"timeout\",\"attributes\":[]}"))).getMessage());
        assertEquals("bad request body: json: cannot unmarshal string into Go struct field "
                + "ToxicWrapper.toxicity of type float32", assertThrows(ApiException.class,
                        () -> Toxic.fromCreateJson(json("{\"type\":\"timeout\",\"toxicity\":\"x\"}"))).getMessage());
        // Beyond float32: refused as in Go (the literal is echoed as Jackson prints it).
        String tooBig = assertThrows(ApiException.class,
                () -> Toxic.fromCreateJson(json("{\"type\":\"timeout\",\"toxicity\":1e40}"))).getMessage();
        assertEquals(true, tooBig.startsWith("bad request body: json: cannot unmarshal number 1"), tooBig);
        assertEquals(true, tooBig.endsWith(" into Go struct field ToxicWrapper.toxicity of type float32"), tooBig);

        ApiException notObject = assertThrows(ApiException.class, () -> Toxic.fromCreateJson(json("[1]")));
        assertEquals("bad request body: json: cannot unmarshal array into Go value of type toxics.ToxicWrapper",
                notObject.getMessage());
    }

    @Test
    void updateMergesOnlyGivenAttributesAndToxicity() throws Exception {
        Toxic t = Toxic.fromCreateJson(json("{\"name\":\"l\",\"type\":\"latency\","
                + "\"attributes\":{\"latency\":100,\"jitter\":10}}"));
        Toxic u = t.withUpdateJson(json("{\"attributes\":{\"latency\":250},\"name\":\"ignored\","
                + "\"stream\":\"upstream\",\"type\":\"timeout\"}"));
        assertEquals("l", u.name());
        assertEquals(ToxicType.LATENCY, u.type());
        assertEquals(Direction.DOWNSTREAM, u.stream());
        assertEquals(250, u.attribute("latency"));
        assertEquals(10, u.attribute("jitter"));
        assertEquals(1f, u.toxicity());

        Toxic v = u.withUpdateJson(json("{\"toxicity\":0.5}"));
        assertEquals(0.5f, v.toxicity());
        assertEquals(250, v.attribute("latency"));
        assertEquals(10, v.attribute("jitter"));
    }

    @Test
    void attributesTakeIntegerLiteralsOnlyAsGoParseIntDoes() throws Exception {
        assertEquals(-0L, Toxic.fromCreateJson(json("{\"type\":\"bandwidth\",\"attributes\":{\"rate\":-0}}"))
                .attribute("rate"));
        for (String literal : List.of("50.0", "50.5", "1e3", "99999999999999999999")) {
            ApiException e = assertThrows(ApiException.class, () -> Toxic.fromCreateJson(
                    json("{\"type\":\"bandwidth\",\"attributes\":{\"rate\":" + literal + "}}")), literal);
            assertEquals(true, e.getMessage().startsWith("bad request body: json: cannot unmarshal number "),
                    e.getMessage());
            assertEquals(true, e.getMessage().endsWith(" into Go struct field BandwidthToxic.attributes.rate of type "
                    + "int64"), e.getMessage());
        }
    }

    @Test
    void keysMatchIgnoringCaseAndStreamsAreKeptAsWritten() throws Exception {
        Toxic t = Toxic.fromCreateJson(json("{\"Type\":\"timeout\",\"STREAM\":\"UpStream\",\"Attributes\":{\"TIMEOUT\":7}}"));
        assertEquals(ToxicType.TIMEOUT, t.type());
        assertEquals(Direction.UPSTREAM, t.stream());
        assertEquals("UpStream", t.streamName());
        assertEquals("timeout_UpStream", t.name());
        assertEquals(7, t.attribute("timeout"));
        assertEquals("UpStream", t.toJson().get("stream").asText());
        // A later null leaves an earlier value, as Go's decoder does.
        assertEquals("x", Toxic.fromCreateJson(json("{\"type\":\"noop\",\"name\":\"x\",\"Name\":null}")).name());
        assertEquals(0.5f, t.withUpdateJson(json("{\"Toxicity\":0.5}")).toxicity());
    }

    @Test
    void updateErrorsNameTheAnonymousStruct() throws Exception {
        Toxic t = Toxic.fromCreateJson(json("{\"type\":\"latency\"}"));
        assertEquals("bad request body: json: cannot unmarshal string into Go struct field .toxicity of type float32",
                assertThrows(ApiException.class, () -> t.withUpdateJson(json("{\"toxicity\":\"x\"}"))).getMessage());
        assertEquals("bad request body: json: cannot unmarshal number into Go struct field .attributes of type "
                + "toxics.LatencyToxic",
                assertThrows(ApiException.class, () -> t.withUpdateJson(json("{\"attributes\":5}"))).getMessage());
        assertEquals("bad request body: json: cannot unmarshal array into Go value of type struct { Attributes "
                + "interface {} \"json:\\\"attributes\\\"\"; Toxicity float32 \"json:\\\"toxicity\\\"\" }",
                assertThrows(ApiException.class, () -> t.withUpdateJson(json("[]"))).getMessage());
        assertEquals(t, t.withUpdateJson(json("null")));
    }

    @Test
    void aTakenNameIsRefusedBeforeTheAttributesAreRead() {
        ApiException e = assertThrows(ApiException.class, () -> Toxic.fromCreateJson(
                json("{\"type\":\"latency\",\"name\":\"l\",\"attributes\":{\"latency\":\"x\"}}"), "l"::equals));
        assertEquals(409, e.status());
        assertEquals("toxic already exists", e.getMessage());
    }

    @Test
    void typeAttributeOrderMatchesToxiproxy() {
        assertEquals(List.of("average_size", "size_variation", "delay"), ToxicType.SLICER.attributes());
        assertEquals(ToxicType.RESET_PEER, ToxicType.parse("reset_peer"));
        assertEquals(null, ToxicType.parse("Latency"));
        assertEquals(Direction.UPSTREAM, Direction.parse("Upstream"));
        assertEquals(Direction.DOWNSTREAM, Direction.parse("DOWNSTREAM"));
        assertEquals(null, Direction.parse("up"));
    }
}
