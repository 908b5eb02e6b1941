package org.elasticsearch.plugins;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elasticsearch.Version;
import org.elasticsearch.common.settings.Settings;

/**
 * Loads plugins straight from the class path. The published server jars carry no modules directory,
 * and the test framework's mock plugin service comes with a node that refuses to run as root.
 */
public final class ClasspathPluginsService extends PluginsService {
    private final List<LoadedPlugin> plugins;

    public ClasspathPluginsService(Settings settings, Path configDir, List<Class<? extends Plugin>> pluginClasses) {
        super(settings, configDir, noBundles());
        this.plugins = pluginClasses.stream()
                .map(type -> new LoadedPlugin(descriptor(type), loadPlugin(type, settings, configDir), type.getClassLoader()))
                .toList();
    }

    /** A loader with no module or plugin bundles; its public factory needs the server to run as a named module. */
    public static PluginsLoader noBundles() {
        return new PluginsLoader(Set.of(), Set.of(), Map.of());
    }

    @Override
    protected List<LoadedPlugin> plugins() {
        return plugins;
    }

    private static PluginDescriptor descriptor(Class<? extends Plugin> type) {
        return new PluginDescriptor(type.getSimpleName(), "class path plugin", "embedded", Version.CURRENT.toString(),
                Runtime.version().feature() + "", type.getName(), null, List.of(), false, false, false, false);
    }
}
