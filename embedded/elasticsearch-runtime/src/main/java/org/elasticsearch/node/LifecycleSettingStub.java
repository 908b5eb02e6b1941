package org.elasticsearch.node;

import java.util.List;
import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.plugins.Plugin;

/**
 * Registers the ILM index setting without ILM (x-pack is not published): templates name the lifecycle
 * policy users install on their clusters, and the embedded node must accept those same templates.
 */
public final class LifecycleSettingStub extends Plugin {
    static final Setting<String> LIFECYCLE_NAME = Setting.simpleString("index.lifecycle.name",
            Setting.Property.Dynamic, Setting.Property.IndexScope);

    @Override
    public List<Setting<?>> getSettings() {
        return List.of(LIFECYCLE_NAME);
    }
}
