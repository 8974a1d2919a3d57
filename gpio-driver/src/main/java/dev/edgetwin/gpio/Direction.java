package dev.edgetwin.gpio;

/** Which way a line is used: an output the mapper drives, or an input it reads. */
public enum Direction {
    OUT, IN
}
