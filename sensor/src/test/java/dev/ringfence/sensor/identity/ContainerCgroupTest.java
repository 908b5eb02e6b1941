package dev.ringfence.sensor.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContainerCgroupTest {
    private static final String ID = "0123456789abcdef".repeat(4);
    private static final String POD = "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f";

    @Test
    void containerdWithTheSystemdDriver() {
        assertThat(ContainerCgroup.parse("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
                + POD.replace('-', '_') + ".slice/cri-containerd-" + ID + ".scope"))
                .contains(new ContainerCgroup("containerd", ID, POD));
    }

    @Test
    void crioWithTheSystemdDriver() {
        assertThat(ContainerCgroup.parse("/kubepods.slice/kubepods-pod" + POD.replace('-', '_') + ".slice/crio-" + ID + ".scope"))
                .contains(new ContainerCgroup("cri-o", ID, POD));
    }

    @Test
    void kubernetesWithTheCgroupfsDriver() {
        assertThat(ContainerCgroup.parse("/kubepods/burstable/pod" + POD + "/" + ID))
                .contains(new ContainerCgroup("kubernetes", ID, POD));
    }

    @Test
    void dockerBothDrivers() {
        assertThat(ContainerCgroup.parse("/system.slice/docker-" + ID + ".scope")).contains(new ContainerCgroup("docker", ID, null));
        assertThat(ContainerCgroup.parse("/docker/" + ID)).contains(new ContainerCgroup("docker", ID, null));
    }

    @Test
    void hostCgroupsAreNoContainers() {
        assertThat(ContainerCgroup.parse("/system.slice/nginx.service")).isEmpty();
        assertThat(ContainerCgroup.parse("/user.slice/user-0.slice/session-1.scope")).isEmpty();
        assertThat(ContainerCgroup.parse("/")).isEmpty();
    }
}
