/** Every scenario kind registers itself on import; add one line per kind. */
import './plant.js';
