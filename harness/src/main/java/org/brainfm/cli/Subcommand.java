package org.brainfm.cli;

/**
 * A command that another module adds to {@code brainfm} (the site's {@code serve}): a picocli
 * {@code @Command} class with a public no-argument constructor, named in that module's
 * {@code META-INF/services/org.brainfm.cli.Subcommand}. {@link Main} adds every one found on
 * the class path, so the harness needs no dependency on the modules built on it.
 */
public interface Subcommand {}
