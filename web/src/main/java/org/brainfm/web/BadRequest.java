package org.brainfm.web;

/** A request the site cannot answer as asked: a bad query parameter or form field, named in the message. */
final class BadRequest extends RuntimeException {
    BadRequest(String parameter, String problem) {
        super(parameter + " " + problem);
    }
}
