/**
 * The agent: the program a person runs.
 *
 * <p><b>Owns</b> the command line, the HTTP status API, the metrics exposition and the demo. It is the only module
 * that reads flags, files and environment variables.
 */
package io.pulse.agent;
