package ossidecar.bench;

/**
 * The settings {@code sidecar}'s main applies before it starts, for a component run in a JVM
 * of its own by a benchmark, where the build on the class path has them (an earlier build
 * measured as a baseline may not: it then runs as it shipped).
 */
final class ProductDefaults {
    private ProductDefaults() {
    }

    static void apply() throws ReflectiveOperationException {
        try {
            Class.forName("ossidecar.core.net.NettyTransport").getMethod("productionDefaults").invoke(null);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            System.err.println("this build has no production defaults: " + e);
        }
    }
}
