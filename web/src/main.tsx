import { render } from 'preact';
import { App } from './components/app';
import './styles.css';

render(<App />, document.getElementById('app')!);
