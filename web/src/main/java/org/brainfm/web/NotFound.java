package org.brainfm.web;

/** A page or record that does not exist (or is hidden), named in the message: a 404. */
final class NotFound extends RuntimeException {
    NotFound(String message) {
        super(message);
    }
}
