package org.brainfm.web;

/** A request the site cannot answer as asked: a bad query parameter or form field, named. */
final class BadRequest extends RuntimeException {
    private final String parameter;

    BadRequest(String parameter, String problem) {
        super(parameter + " " + problem);
        this.parameter = parameter;
    }

    String parameter() {
        return parameter;
    }
}
