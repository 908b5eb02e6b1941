package dev.ringfence.allinone;

import dev.ringfence.allinone.up.UpCommand;
import dev.ringfence.allinone.up.UpOptions;
import java.io.PrintStream;
import java.util.Arrays;

/** Entry point of {@code ./ringfence up}: the whole pipeline on this host. */
public final class AllInOne {
    private AllInOne() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("up")) {
            err.println("usage: ringfence up [options]   (see ./ringfence up --help)");
            return 2;
        }
        UpOptions options;
        try {
            options = UpOptions.parse(Arrays.copyOfRange(args, 1, args.length));
        } catch (IllegalArgumentException e) {
            err.println("ringfence up: " + e.getMessage());
            err.println(UpOptions.USAGE);
            return 2;
        }
        if (options.help()) {
            out.println(UpOptions.USAGE);
            return 0;
        }
        return new UpCommand(options, out, err).run();
    }
}
