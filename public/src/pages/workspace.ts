import { mountFrame } from '../frame';

/** Staff pages with no behaviour of their own yet beyond the frame. */
void mountFrame();
