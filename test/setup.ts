// Tests import models directly; install the Node reader of the package's data/ (what the package entry does).
import '../src/io/paths.js';
