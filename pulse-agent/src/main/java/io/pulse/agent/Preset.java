package io.pulse.agent;

import io.pulse.api.PulseConfig;
import java.util.Locale;
import picocli.CommandLine;

/** The configuration presets a person picks with {@code --preset}. */
enum Preset {
    /** A data-centre network: {@link PulseConfig#lan()}, the default. */
    LAN,
    /** Wide-area links: {@link PulseConfig#wan()}. */
    WAN,
    /** Loopback and tests: {@link PulseConfig#local()}. */
    LOCAL;

    /** The preset's configuration. */
    PulseConfig config() {
        return switch (this) {
            case LAN -> PulseConfig.lan();
            case WAN -> PulseConfig.wan();
            case LOCAL -> PulseConfig.local();
        };
    }

    /** picocli: {@code lan}, {@code wan} or {@code local}, in any case. */
    static final class Converter implements CommandLine.ITypeConverter<Preset> {
        @Override
        public Preset convert(String value) {
            try {
                return Preset.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "': expected lan, wan or local");
            }
        }
    }
}
