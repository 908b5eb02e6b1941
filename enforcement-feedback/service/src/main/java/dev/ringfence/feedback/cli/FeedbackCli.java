package dev.ringfence.feedback.cli;

import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./ringfence contain|release|decisions|certs|feedback ...}: the launcher passes its arguments
 * through unchanged. Exit codes: 0 done, 1 failed, 2 refused by the service, 64 bad command line.
 */
public final class FeedbackCli {
    static final int FAILED = 1;
    static final int USAGE_ERROR = 64;
    private static final String USAGE = "usage:\n" + ClientCommands.USAGE + "\n" + CertsCommand.USAGE + "\n" + ServeCommand.USAGE;

    private FeedbackCli() {}

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
        if (args.isEmpty() || args.getFirst().equals("--help") || args.getFirst().equals("help")) {
            out.println(USAGE);
            return args.isEmpty() ? USAGE_ERROR : 0;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (args.getFirst()) {
                case "contain" -> ClientCommands.contain(rest, out);
                case "release" -> ClientCommands.release(rest, out);
                case "decisions" -> ClientCommands.decisions(rest, out);
                case "certs" -> CertsCommand.run(rest, out);
                case "feedback" -> ServeCommand.run(rest, out);
                default -> throw new Arguments.UsageException("unknown command '" + args.getFirst() + "'");
            };
        } catch (Arguments.UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return USAGE_ERROR;
        } catch (StatusRuntimeException e) {
            err.println("error: the service answered " + e.getStatus().getCode()
                    + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()));
            return FAILED;
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return FAILED;
        }
    }
}
